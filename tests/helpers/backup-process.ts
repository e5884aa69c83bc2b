/**
 * A second process running backups against DATABASE_URL, for the cross-process guard test
 * (tests/integration/backups.test.ts), run with tsx. Connects first and prints `ready`; every
 * `go` line on stdin runs one `runBackup` (BACKUP_* from the environment) and prints
 * `{"status": "completed"|"failed"|"skipped"}`.
 */
import readline from "node:readline";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { runBackup } from "@/lib/domain/backups/run-backup";

const send = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

const input = readline.createInterface({ input: process.stdin });
input.on("close", () => void db.$disconnect().finally(() => process.exit(0)));
input.on("line", (line) => {
  if (line.trim() !== "go") return;
  runBackup(db, { trigger: "scheduled", actor: systemContext("other-process", "worker") })
    .then((r) => send({ status: r.status }))
    .catch((err: unknown) => send({ status: "error", error: String(err) }));
});

void db.backup.count().then(() => send({ status: "ready" }));
