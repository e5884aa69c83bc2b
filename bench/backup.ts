/**
 * Backup benchmark (`npx tsx bench/backup.ts [--rounds=3] [--history=100000] [--keep]`): size and
 * time of one backup (lib/domain/backups/run-backup.ts) and of its restore, for
 *
 *   demo     a fresh database with the demo data of a first start (scripts/seed-demo.ts, as
 *            scripts/bootstrap.ts seeds it);
 *   history  the demo database plus N history rows (default 100 000): half `audit_log` rows (one
 *            changed field of a batch, as `mutate` writes them), half `finished_goods_history` rows
 *            (a grams change of a demo package with a JSON details object).
 *
 * Each is backed up encrypted (AES-256-GCM) and unencrypted, `--rounds` times each; medians are
 * printed with the time split (online copy + quick_check / gzip / encrypt) and the longest
 * event-loop stall during the backup (the worker delivers webhooks in the same process). A
 * measurement, not a test: exits 0 whatever the figures, 1 only when the setup fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import Database from "better-sqlite3";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(arg("rounds", "3"));
const HISTORY = Number(arg("history", "100000"));
const KEEP = process.argv.includes("--keep");
const KEY = "bench-backup-key-0123456789abcdef-0123456789abcdef";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-bench-backup-"));
const demoDb = path.join(dir, "demo", "preroll.db");
const historyDb = path.join(dir, "history", "preroll.db");
fs.mkdirSync(path.dirname(demoDb));
fs.mkdirSync(path.dirname(historyDb));
// The seed writes through the process-wide client: point it at the demo database before importing.
process.env.DATABASE_URL = `file:${demoDb}`;
process.env.LOG_LEVEL = "silent";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

function insertHistory(file: string, rows: number) {
  const conn = new Database(file);
  conn.pragma("journal_mode = WAL");
  const packages = (
    conn.prepare("SELECT metrc_number, strain FROM finished_goods").all() as { metrc_number: string; strain: string }[]
  ).slice(0, 50);
  const batches = conn.prepare("SELECT id, strain FROM batches").all() as { id: string; strain: string }[];
  const audit = conn.prepare(
    "INSERT INTO audit_log (entity, entity_id, label, field, old, new, actor, trace_id, at) VALUES ('batch', ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const history = conn.prepare(
    "INSERT INTO finished_goods_history (metrc_number, timestamp, change_type, grams_changed, current_grams, grams_ordered, grams_packed, grams_fulfilled, status, details, actor, reason) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 'active', ?, ?, ?)",
  );
  const fields = ["counts_0_5", "counts_0_7", "counts_1_0", "grams_used", "stage", "produced"];
  const start = Date.now() - 365 * 24 * 3_600_000;
  conn.transaction(() => {
    for (let i = 0; i < rows / 2; i++) {
      const b = batches[i % batches.length];
      const at = new Date(start + i * 60_000).toISOString();
      audit.run(
        b.id,
        b.strain,
        fields[i % fields.length],
        String(i),
        String(i + 7),
        i % 3 ? "operator" : "api-key:ApexAPI",
        crypto.randomUUID().replace(/-/g, ""),
        at,
      );
      const p = packages[i % packages.length];
      const grams = 5000 - (i % 4000);
      history.run(
        p.metrc_number,
        at,
        i % 5 ? "deduct" : "add",
        -((i % 40) + 1) * 0.5,
        grams,
        JSON.stringify({ sku: `${p.strain} 1g`, units: (i % 12) + 1, order_id: `ord-${i}` }),
        "operator",
        i % 7 ? null : "recount",
      );
    }
  })();
  conn.pragma("wal_checkpoint(TRUNCATE)");
  conn.close();
}

async function main() {
  const { migrate } = (await import("../scripts/migrate.mjs")) as {
    migrate: (o: { databaseUrl: string; log: (l: string) => void }) => Promise<void>;
  };
  const { seedDemoData } = await import("@/scripts/seed-demo");
  const { systemContext } = await import("@/lib/context");
  const { createPrismaClient, db } = await import("@/lib/db/client");
  const { runBackup } = await import("@/lib/domain/backups/run-backup");
  const { restoreBackup } = await import("@/lib/domain/backups/restore-backup");
  const { RUNNING_STALE_MS } = await import("@/lib/domain/backups/config");
  const ctx = systemContext("bench", "cli");

  let t = performance.now();
  await migrate({ databaseUrl: `file:${demoDb}`, log: () => undefined });
  await seedDemoData(ctx);
  await db.$disconnect();
  console.log(`demo seeded in ${Math.round(performance.now() - t)} ms`);
  const copy = new Database(demoDb);
  await copy.backup(historyDb);
  copy.close();
  t = performance.now();
  insertHistory(historyDb, HISTORY);
  console.log(
    `history: ${HISTORY / 2} audit_log + ${HISTORY / 2} finished_goods_history rows inserted in ${Math.round(performance.now() - t)} ms\n`,
  );

  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load ${os.loadavg()[0].toFixed(2)}, Node ${process.version}; rounds ${ROUNDS}, medians\n`,
  );
  console.log("database  mode        db size     backup size  ratio   total ms  copy+check  gzip  encrypt  max loop stall  restore ms");
  for (const [label, file] of [
    ["demo", demoDb],
    ["history", historyDb],
  ] as const) {
    const client = createPrismaClient(`file:${file}`);
    for (const encrypted of [true, false]) {
      const runs: { total: number; copy: number; gzip: number; enc: number; stall: number; size: number; db: number; restore: number }[] =
        [];
      for (let r = 0; r < ROUNDS; r++) {
        const config = {
          dir: path.join(dir, `${label}-backups`),
          encryptionKey: encrypted ? KEY : null,
          keep: 100,
          keepDaily: 0,
          intervalHours: 6,
          uploadDir: null,
          staleAfterMs: RUNNING_STALE_MS,
        };
        const loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        const result = await runBackup(client, { trigger: "manual", actor: ctx, config, databasePath: file });
        loop.disable();
        if (result.status !== "completed") throw new Error(`backup ${result.status}: ${JSON.stringify(result)}`);
        const target = path.join(dir, `${label}-restore-${r}-${encrypted}`, "preroll.db");
        const rt = performance.now();
        await restoreBackup({ file: result.backup.path, databasePath: target, key: encrypted ? KEY : null });
        const restoreMs = performance.now() - rt;
        fs.rmSync(path.dirname(target), { recursive: true, force: true });
        runs.push({
          total: result.timings.total_ms,
          copy: result.timings.copy_ms,
          gzip: result.timings.compress_ms,
          enc: result.timings.encrypt_ms,
          stall: loop.max / 1e6,
          size: result.backup.size_bytes!,
          db: result.backup.db_bytes!,
          restore: restoreMs,
        });
      }
      const m = (k: keyof (typeof runs)[number]) => median(runs.map((x) => x[k]));
      console.log(
        [
          label.padEnd(9),
          (encrypted ? "encrypted" : "plain gzip").padEnd(11),
          mb(m("db")).padStart(9),
          mb(m("size")).padStart(12),
          `${((m("size") / m("db")) * 100).toFixed(1)}%`.padStart(6),
          String(Math.round(m("total"))).padStart(9),
          String(Math.round(m("copy"))).padStart(11),
          String(Math.round(m("gzip"))).padStart(5),
          String(Math.round(m("enc"))).padStart(8),
          `${m("stall").toFixed(0)} ms`.padStart(15),
          String(Math.round(m("restore"))).padStart(11),
        ].join(" "),
      );
    }
    await client.$disconnect();
  }
  console.log(
    "\ntotal = claim row + copy + gzip + encrypt/hash + rename + record + retention; restore = checks + decrypt + gunzip + integrity_check + swap",
  );
  if (KEEP) console.log(`kept: ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  },
);
