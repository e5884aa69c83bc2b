import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { buildBatch } from "@/prisma/seed/batch";
import { RUNNING_STALE_MS, type BackupConfig } from "@/lib/domain/backups/config";
import { runBackup } from "@/lib/domain/backups/run-backup";
import { restoreBackup } from "@/lib/domain/backups/restore-backup";
import { BackupFileError, MAGIC } from "@/lib/domain/backups/backup-file";

/**
 * Backups on PostgreSQL (issue [12] Build 5): `pg_dump -Fc` in the same gzip + AES-256-GCM file
 * as SQLite backups, restored with pg_restore and the sequences moved past max(id); a backup of
 * one engine is refused by a restore onto the other.
 */

const ctx = systemContext("tester", "cli");
const KEY = "test-backup-key-0123456789abcdef-0123456789";
const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
let root: string;
let seq = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-pg-backups-"));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function cfg(overrides: Partial<BackupConfig> = {}): BackupConfig {
  return {
    dir: path.join(root, `backups-${++seq}`),
    encryptionKey: KEY,
    keep: 8,
    keepDaily: 7,
    intervalHours: 6,
    uploadDir: null,
    staleAfterMs: RUNNING_STALE_MS,
    ...overrides,
  };
}

async function backup(config: BackupConfig, databasePath?: string) {
  const result = await runBackup(db, { trigger: "manual", actor: ctx, config, databasePath });
  if (result.status !== "completed") throw new Error(`backup ${result.status}: ${JSON.stringify(result)}`);
  return result.backup;
}

async function refusal(p: Promise<unknown>): Promise<BackupFileError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackupFileError);
  return err as BackupFileError;
}

/** A small SQLite database file (any SQLite file: the engine check comes before the schema check). */
function sqliteFile(): string {
  const file = path.join(root, `other-${++seq}.db`);
  const conn = new Database(file);
  conn.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
  conn.close();
  return file;
}

describe("backup and restore on PostgreSQL", () => {
  it("restores an encrypted pg_dump backup: rows back, backup row completed, sequences past max(id)", async () => {
    const ids: string[] = [];
    for (const bay of ["B1", "B2", "B3"]) ids.push((await createBatch(ctx, buildBatch({ strain: `Dump ${bay}`, bay_number: bay }))).id);
    const batchAudit = { where: { entity: "batch", entity_id: { in: ids } } };
    const auditBefore = await db.auditLog.count(batchAudit);
    expect(auditBefore).toBeGreaterThanOrEqual(3);

    const b = await backup(cfg());
    expect(b.file_name).toMatch(/^preroll-\d{8}T\d{6}Z-[0-9a-f]{6}\.pgdump\.gz\.enc$/);
    expect(b.encrypted).toBe(true);
    expect(b.db_bytes).toBeGreaterThan(0);
    expect(fs.readFileSync(b.path).subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);

    // Lose the data; ids drawn after the backup must not come back after the restore.
    await db.$executeRawUnsafe("TRUNCATE batches, audit_log CASCADE");
    await mutate(ctx, (m) => m.emit("setting.updated", { key: "after-backup" }));
    const lastEventBeforeRestore = (await db.event.aggregate({ _max: { id: true } }))._max.id!;
    expect(await db.batch.count({ where: { id: { in: ids } } })).toBe(0);

    // The app is stopped for a restore: our own pool lets go of the database.
    await db.$disconnect();
    const lines: string[] = [];
    const result = await restoreBackup({ file: b.path, databasePath: databaseUrl(), key: KEY, log: (l) => lines.push(l) });
    expect(result.checksum_verified).toBe(true); // against the row in the database being replaced
    expect(result.replaces_existing).toBe(true);
    expect(result.warnings).toEqual([]);

    expect((await db.batch.findMany({ where: { id: { in: ids } }, orderBy: { bay_number: "asc" } })).map((r) => r.bay_number)).toEqual([
      "B1",
      "B2",
      "B3",
    ]);
    expect(await db.auditLog.count(batchAudit)).toBe(auditBefore);
    const row = await db.backup.findUniqueOrThrow({ where: { id: b.id } });
    expect(row.status).toBe("completed");
    expect(row.sha256).toBe(b.sha256);

    // A non-events table: the next id is exactly max + 1. (The dump's own sequence values already
    // give that unless ids were drawn during the dump; the events floor below is what the fix-up adds.)
    const maxAudit = (await db.auditLog.aggregate({ _max: { id: true } }))._max.id!;
    const next = await db.auditLog.create({ data: { entity: "test", entity_id: "x", field: "f", actor: "tester" } });
    expect(next.id).toBe(maxAudit + 1);
    // Events continue after every id handed out before the restore (feed cursors never see one twice).
    const event = await mutate(ctx, (m) => m.emit("setting.updated", { key: "after-restore" }));
    expect(event.id).toBeGreaterThan(lastEventBeforeRestore);
  });

  it("refuses while other sessions are connected, unless forced", async () => {
    const b = await backup(cfg({ encryptionKey: null }));
    expect(b.file_name).toMatch(/\.pgdump\.gz$/);
    const other = new pg.Client({ connectionString: databaseUrl() });
    await other.connect();
    try {
      const err = await refusal(restoreBackup({ file: b.path, databasePath: databaseUrl(), key: null }));
      expect(err.code).toBe("database_in_use");
      expect(err.message).toMatch(/other session\(s\) are connected/);
      const forced = await restoreBackup({ file: b.path, databasePath: databaseUrl(), key: null, force: true });
      expect(forced.warnings).toEqual([expect.stringMatching(/other session\(s\) are connected.*--force/)]);
      expect(forced.encrypted).toBe(false);
    } finally {
      await other.end();
    }
  });

  it("takes a URL with a password (moved into a passfile) and Prisma's ?schema=", async () => {
    const url = new URL(databaseUrl());
    url.username = "postgres";
    url.password = "s3cr:t\\pw"; // trust auth here: this proves libpq accepts the rewritten URL
    url.searchParams.set("schema", "public");
    const b = await backup(cfg({ encryptionKey: null }), url.toString());
    expect(b.file_name).toMatch(/\.pgdump\.gz$/);
    expect(b.db_bytes).toBeGreaterThan(1000);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("preroll-pgpass-"))).toEqual([]);
  });

  it("refuses a SQLite backup onto PostgreSQL and a PostgreSQL backup onto SQLite (encrypted or not)", async () => {
    const sqliteBackup = await backup(cfg(), sqliteFile());
    expect(sqliteBackup.file_name).toMatch(/\.db\.gz\.enc$/);
    const onPg = await refusal(restoreBackup({ file: sqliteBackup.path, databasePath: databaseUrl(), key: KEY }));
    expect(onPg.code).toBe("wrong_engine");
    expect(onPg.message).toMatch(/^This backup holds a SQLite database and DATABASE_URL is PostgreSQL/);

    for (const encryptionKey of [KEY, null]) {
      const pgBackup = await backup(cfg({ encryptionKey }));
      const target = path.join(root, `target-${++seq}.db`);
      const onSqlite = await refusal(restoreBackup({ file: pgBackup.path, databasePath: target, key: encryptionKey }));
      expect(onSqlite.code).toBe("wrong_engine");
      expect(onSqlite.message).toMatch(/^This backup holds a PostgreSQL database and the target is a SQLite file/);
      expect(fs.existsSync(target)).toBe(false);
    }
  });

  it("npm run restore restores a PostgreSQL backup and refuses the other engine's in one line", async () => {
    const cli = (file: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(TSX, ["scripts/restore.ts", file, "--yes"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: databaseUrl(), BACKUP_ENCRYPTION_KEY: KEY },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) => resolve({ code, stdout: out, stderr: err }));
      });

    const sqliteBackup = await backup(cfg(), sqliteFile());
    const refused = await cli(sqliteBackup.path);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^restore refused: This backup holds a SQLite database and DATABASE_URL is PostgreSQL[^\n]*$/);

    const pgBackup = await backup(cfg());
    const batch = await createBatch(ctx, buildBatch({ strain: "After CLI backup", bay_number: "C9" }));
    await db.$disconnect();
    const restored = await cli(pgBackup.path);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^restored: postgresql:\/\/.* \(SHA-256 matches the backup record\)$/m);
    expect(await db.batch.findUnique({ where: { id: batch.id } })).toBeNull(); // written after the backup
  }, 20_000);
});
