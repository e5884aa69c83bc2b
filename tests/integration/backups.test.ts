import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import crypto from "node:crypto";
import readline from "node:readline";
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrismaClient, db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { updateBatch } from "@/lib/domain/batches/update-batch";
import { deleteBatch } from "@/lib/domain/batches/delete-batch";
import { buildBatch } from "@/prisma/seed/batch";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { databaseFile, RUNNING_STALE_MS, type BackupConfig } from "@/lib/domain/backups/config";
import { runBackup, type RunBackupResult } from "@/lib/domain/backups/run-backup";
import { restoreBackup } from "@/lib/domain/backups/restore-backup";
import { BackupFileError, HEADER_BYTES, MAGIC } from "@/lib/domain/backups/backup-file";
import { applyRetention, selectKept } from "@/lib/domain/backups/retention";
import { backupHandler } from "@/lib/domain/backups/backup-handler";
import { backupsJob } from "@/lib/domain/backups/backup-job";
import type { EventEnvelope } from "@/lib/events/catalogue";
import type { Backup, Subscriber } from "@/lib/generated/prisma/client";
import * as statusRoute from "@/app/api/backup-status/route";
import * as backupRoute from "@/app/api/backup/route";
import * as adminBackupsRoute from "@/app/api/admin/backups/route";
import * as downloadBackupRoute from "@/app/api/admin/backups/[name]/download/route";

const ctx = systemContext("tester", "cli");
const KEY = "test-backup-key-0123456789abcdef-0123456789";
const liveDb = databaseFile();
const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
let root: string;
let seq = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-backups-"));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});
// Every test starts with no backup rows, so one test's backups never meet another's retention or guard.
beforeEach(async () => {
  await db.backup.deleteMany({});
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

async function backupNow(config: BackupConfig) {
  const result = await runBackup(db, { trigger: "manual", actor: ctx, config });
  if (result.status !== "completed") throw new Error(`backup did not complete: ${JSON.stringify(result)}`);
  return result;
}

/** A second database file standing for "the live database" a restore replaces: a copy of the test database now. */
async function liveCopy(name: string): Promise<string> {
  const target = path.join(root, `${name}-${++seq}`, "preroll.db");
  fs.mkdirSync(path.dirname(target));
  const conn = new Database(liveDb);
  await conn.backup(target);
  conn.close();
  return target;
}

async function expectRefusal(promise: Promise<unknown>, code: string, message: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected a refusal").toBeInstanceOf(BackupFileError);
  expect((err as BackupFileError).code).toBe(code);
  expect((err as Error).message).toMatch(message);
  // Operator-facing: one line, no stack trace or internals in the message.
  expect((err as Error).message).not.toMatch(/\n|\bat .+:\d+:\d+/);
}

const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const batchRows = (rows: { id: string; strain: string; bay_number: string | null; input_grams: number }[]) =>
  rows
    .map((b) => ({ id: b.id, strain: b.strain, bay_number: b.bay_number, input_grams: b.input_grams }))
    .sort((a, b) => a.id.localeCompare(b.id));

describe("runBackup → restoreBackup", () => {
  it("backs up the live database and a restore brings back exactly the backed-up data; the replaced database is kept", async () => {
    const a = await createBatch(ctx, buildBatch({ strain: "Backup Alpha", bay_number: "B1" }));
    const b = await createBatch(ctx, buildBatch({ strain: "Backup Beta", bay_number: "B2" }));
    const before = batchRows(await db.batch.findMany());

    const { backup } = await backupNow(cfg());

    // Life goes on after the backup: an edit, a deletion, a new batch.
    await updateBatch(ctx, a.id, { bay_number: "B9" });
    await deleteBatch(ctx, b.id);
    await createBatch(ctx, buildBatch({ strain: "After Backup" }));
    const after = batchRows(await db.batch.findMany());
    expect(after).not.toEqual(before);
    const target = await liveCopy("live");
    const maxEventId = (await db.event.aggregate({ _max: { id: true } }))._max.id!;

    const result = await restoreBackup({ file: backup.path, databasePath: target, key: KEY });
    expect(result).toMatchObject({ database: target, encrypted: true, checksum_verified: true, replaces_existing: true });

    const restored = createPrismaClient(`file:${target}`);
    const kept = createPrismaClient(`file:${result.previous}`);
    try {
      expect(batchRows(await restored.batch.findMany())).toEqual(before);
      expect(batchRows(await kept.batch.findMany())).toEqual(after);
      // The backup's own row was copied while `running`; the restored database knows it completed.
      expect(await restored.backup.findUnique({ where: { id: backup.id } })).toMatchObject({ status: "completed", sha256: backup.sha256 });
      // Event ids continue after the replaced database's: a feed cursor never sees an id twice.
      const ev = await mutate(ctx, async (m) => (await m.emit("sync.requested", { requested_at: new Date().toISOString() })).id, restored);
      expect(ev).toBeGreaterThan(maxEventId);
    } finally {
      await restored.$disconnect();
      await kept.$disconnect();
    }
    expect(result.previous).toMatch(/\.before-restore-\d{8}T\d{6}Z$/);
    for (const side of ["-wal", "-shm"]) expect(fs.existsSync(`${result.previous}${side}`)).toBe(false);
    expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes(".restore-"))).toEqual([]);
  });

  it("writes an encrypted, authenticated file whose SHA-256 and size are on the row, with audit and events", async () => {
    await createBatch(ctx, buildBatch({ strain: "Plaintext Canary" }));
    const config = cfg();
    const { backup } = await backupNow(config);
    expect(backup).toMatchObject({ status: "completed", trigger: "manual", encrypted: true, error: null });
    expect(backup.file_name).toMatch(/^preroll-\d{8}T\d{6}Z-[0-9a-f]{6}\.db\.gz\.enc$/);
    expect(path.dirname(backup.path)).toBe(config.dir);
    const bytes = fs.readFileSync(backup.path);
    expect(bytes.subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
    expect(bytes.includes(Buffer.from("Plaintext Canary"))).toBe(false);
    expect(backup.size_bytes).toBe(bytes.length);
    expect(backup.sha256).toBe(sha(backup.path));
    expect(backup.db_bytes).toBeGreaterThan(backup.size_bytes!);
    expect(backup.duration_ms).toBeGreaterThanOrEqual(0);
    // Only the final file: no temp files left beside it.
    expect(fs.readdirSync(config.dir)).toEqual([backup.file_name]);

    const events = await db.event.findMany({ where: { type: { startsWith: "backup." } }, orderBy: { id: "desc" }, take: 2 });
    expect(events.map((e) => e.type)).toEqual(["backup.completed", "backup.started"]);
    expect(events[0].payload).toMatchObject({
      backup_id: backup.id,
      file: backup.file_name,
      sha256: backup.sha256,
      size_bytes: backup.size_bytes,
      encrypted: true,
      trigger: "manual",
    });
    expect(
      await db.auditLog.count({ where: { entity: "backup", entity_id: backup.id, field: "status", new: { contains: "completed" } } }),
    ).toBe(1);
  });

  it("refuses a file with one changed byte, before touching the database", async () => {
    const { backup } = await backupNow(cfg());
    const target = await liveCopy("tamper");
    const targetSha = sha(target);
    const bytes = fs.readFileSync(backup.path);
    bytes[HEADER_BYTES + Math.floor((bytes.length - HEADER_BYTES) / 2)] ^= 0x01;

    // Under another name (no backup row to compare with): AES-GCM authentication catches it.
    const renamed = path.join(root, "renamed-copy.db.gz.enc");
    fs.writeFileSync(renamed, bytes);
    await expectRefusal(
      restoreBackup({ file: renamed, databasePath: target, key: KEY }),
      "tampered",
      /failed authentication: it was modified or damaged/,
    );

    // Under its own name: the SHA-256 recorded when it was written already differs.
    const sameName = path.join(root, `copy-${++seq}`, backup.file_name);
    fs.mkdirSync(path.dirname(sameName));
    fs.writeFileSync(sameName, bytes);
    await expectRefusal(
      restoreBackup({ file: sameName, databasePath: target, key: KEY }),
      "checksum_mismatch",
      /SHA-256 differs from the one recorded/,
    );

    // A changed header byte (the authenticated data) is refused too.
    const header = Buffer.from(fs.readFileSync(backup.path));
    header[45] ^= 0x01; // inside the length field
    fs.writeFileSync(renamed, header);
    await expect(restoreBackup({ file: renamed, databasePath: target, key: KEY })).rejects.toBeInstanceOf(BackupFileError);

    expect(sha(target)).toBe(targetSha);
    expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes("before-restore") || f.includes(".restore-"))).toEqual([]);
  });

  it("refuses a wrong key and a missing key with a message saying so", async () => {
    const { backup } = await backupNow(cfg());
    const target = await liveCopy("key");
    await expectRefusal(
      restoreBackup({ file: backup.path, databasePath: target, key: "another-key-0123456789abcdef-0123456789" }),
      "wrong_key",
      /^Wrong key: BACKUP_ENCRYPTION_KEY does not open this backup/,
    );
    await expectRefusal(
      restoreBackup({ file: backup.path, databasePath: target, key: null }),
      "key_required",
      /encrypted: set BACKUP_ENCRYPTION_KEY/,
    );
  });

  it("refuses truncated files: cut in the ciphertext, in the header, and a gzip backup cut short", async () => {
    const { backup } = await backupNow(cfg());
    const target = await liveCopy("trunc");
    const bytes = fs.readFileSync(backup.path);
    const cut = path.join(root, "cut.db.gz.enc");
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expectRefusal(
      restoreBackup({ file: cut, databasePath: target, key: KEY }),
      "truncated",
      new RegExp(`truncated: ${bytes.length - 100} of ${bytes.length} bytes`),
    );
    fs.writeFileSync(cut, bytes.subarray(0, 30));
    await expectRefusal(restoreBackup({ file: cut, databasePath: target, key: KEY }), "truncated", /truncated/);

    const plain = await backupNow(cfg({ encryptionKey: null }));
    const gz = fs.readFileSync(plain.backup.path);
    const cutGz = path.join(root, "cut.db.gz");
    fs.writeFileSync(cutGz, gz.subarray(0, Math.floor(gz.length / 2)));
    await expectRefusal(
      restoreBackup({ file: cutGz, databasePath: target, key: null }),
      "truncated",
      /truncated: its compressed data ends early/,
    );
  });

  it("refuses files that are not backups: random bytes, a plain SQLite file, a gzip of something else, a missing file", async () => {
    const target = await liveCopy("notbackup");
    const random = path.join(root, "random.bin");
    fs.writeFileSync(random, crypto.randomBytes(5000));
    await expectRefusal(restoreBackup({ file: random, databasePath: target, key: KEY }), "not_a_backup", /^Not a PreRoll Tracker backup/);
    await expectRefusal(
      restoreBackup({ file: liveDb, databasePath: target, key: KEY }),
      "not_a_backup",
      /plain SQLite database, not a backup/,
    );
    const gzText = path.join(root, "notes.txt.gz");
    fs.writeFileSync(gzText, zlib.gzipSync("just some notes, not a database\n".repeat(100)));
    await expectRefusal(
      restoreBackup({ file: gzText, databasePath: target, key: KEY }),
      "not_a_backup",
      /content is not a SQLite database/,
    );
    await expectRefusal(
      restoreBackup({ file: path.join(root, "nope.db.gz.enc"), databasePath: target, key: KEY }),
      "not_found",
      /not found/,
    );
  });

  it("without a key writes an unencrypted .db.gz (gunzip opens it), says so in the status, and restores without a key", async () => {
    await createBatch(ctx, buildBatch({ strain: "Unencrypted Canary" }));
    const { backup } = await backupNow(cfg({ encryptionKey: null }));
    expect(backup.encrypted).toBe(false);
    expect(backup.file_name).toMatch(/\.db\.gz$/);
    const inner = zlib.gunzipSync(fs.readFileSync(backup.path));
    expect(inner.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");

    const target = await liveCopy("plain");
    const result = await restoreBackup({ file: backup.path, databasePath: target, key: null });
    expect(result).toMatchObject({ encrypted: false, checksum_verified: true });
    const restored = new Database(target, { readonly: true });
    expect(restored.prepare("SELECT COUNT(*) AS n FROM batches WHERE strain = 'Unencrypted Canary'").get()).toEqual({ n: 1 });
    restored.close();
  });

  it("refuses while a worker heartbeat is fresh or the database is open elsewhere, unless forced", async () => {
    const { backup } = await backupNow(cfg());
    const target = await liveCopy("busy");
    const conn = new Database(target);
    const now = new Date().toISOString();
    conn.prepare("INSERT INTO worker_heartbeats (id, kind, started_at, beat_at) VALUES ('host:1:abc', 'worker', ?, ?)").run(now, now);
    conn.close();
    await expectRefusal(
      restoreBackup({ file: backup.path, databasePath: target, key: KEY }),
      "database_in_use",
      /heartbeat \d+ s ago: the app looks like it is running\. Stop it first .* or pass --force\./,
    );

    const old = new Date(Date.now() - 5 * 60_000).toISOString();
    const c2 = new Database(target);
    c2.prepare("UPDATE worker_heartbeats SET beat_at = ?").run(old);
    // Still open here: the restore must notice this connection.
    await expectRefusal(
      restoreBackup({ file: backup.path, databasePath: target, key: KEY }),
      "database_in_use",
      /still open in another process/,
    );
    c2.close();

    const stillFresh = await liveCopy("forced");
    const c3 = new Database(stillFresh);
    c3.prepare("INSERT INTO worker_heartbeats (id, kind, started_at, beat_at) VALUES ('host:2:def', 'worker', ?, ?)").run(now, now);
    c3.close();
    const forced = await restoreBackup({ file: backup.path, databasePath: stillFresh, key: KEY, force: true });
    expect(forced.warnings.join(" ")).toMatch(/going ahead because of --force/);
  });

  it("changes nothing when the confirmation says no", async () => {
    const { backup } = await backupNow(cfg());
    const target = await liveCopy("cancel");
    const targetSha = sha(target);
    let asked = false;
    await expectRefusal(
      restoreBackup({
        file: backup.path,
        databasePath: target,
        key: KEY,
        confirm: (plan) => {
          asked = true;
          expect(plan).toMatchObject({ database: target, encrypted: true, replaces_existing: true });
          return false;
        },
      }),
      "cancelled",
      /nothing was changed/,
    );
    expect(asked).toBe(true);
    expect(sha(target)).toBe(targetSha);
  });

  it("restores into a fresh location when no database exists yet", async () => {
    const { backup } = await backupNow(cfg());
    const target = path.join(root, `fresh-${++seq}`, "preroll.db");
    const result = await restoreBackup({ file: backup.path, databasePath: target, key: KEY });
    expect(result.previous).toBeNull();
    expect(result.checksum_verified).toBe(false); // no database to hold the backup's row
    const conn = new Database(target, { readonly: true });
    expect(conn.pragma("integrity_check", { simple: true })).toBe("ok");
    conn.close();
  });
});

describe("upload target", () => {
  it("copies each backup into BACKUP_UPLOAD_DIR with the same SHA-256", async () => {
    const uploadDir = path.join(root, `upload-${++seq}`);
    const { backup } = await backupNow(cfg({ uploadDir }));
    expect(backup.uploaded_to).toBe(path.join(uploadDir, backup.file_name));
    expect(sha(backup.uploaded_to!)).toBe(backup.sha256);
    expect(fs.readdirSync(uploadDir)).toEqual([backup.file_name]);
  });

  it("keeps a good local backup when the upload fails, and says why on the row and the event", async () => {
    const blocker = path.join(root, `not-a-dir-${++seq}`);
    fs.writeFileSync(blocker, "x");
    const result = await backupNow(cfg({ uploadDir: path.join(blocker, "sub") }));
    expect(result.backup).toMatchObject({ status: "completed", uploaded_to: null });
    expect(result.backup.error).toMatch(/^Upload to .* failed/);
    expect(fs.existsSync(result.backup.path)).toBe(true);
    const ev = await db.event.findFirst({ where: { type: "backup.completed" }, orderBy: { id: "desc" } });
    expect((ev!.payload as { upload_error: string }).upload_error).toMatch(/failed/);
  });
});

describe("a failed backup", () => {
  it("is recorded failed with backup.failed and leaves no file", async () => {
    const config = cfg();
    const result = await runBackup(db, { trigger: "manual", actor: ctx, config, databasePath: path.join(root, "missing.db") });
    expect(result.status).toBe("failed");
    const failed = result as Extract<RunBackupResult, { status: "failed" }>;
    expect(failed.error).toMatch(/Database file not found/);
    expect(failed.backup).toMatchObject({ status: "failed" });
    expect(fs.readdirSync(config.dir)).toEqual([]);
    const ev = await db.event.findFirst({ where: { type: "backup.failed" }, orderBy: { id: "desc" } });
    expect(ev!.payload).toMatchObject({ backup_id: failed.backup.id, error: failed.error });
  });
});

describe("one backup at a time", () => {
  it("lets only one of two simultaneous backups run: this process's and another process's", async () => {
    const config = cfg();
    const child = spawn(TSX, [path.join(ROOT, "tests/helpers/backup-process.ts")], {
      cwd: ROOT,
      env: { ...process.env, BACKUP_DIR: config.dir, BACKUP_ENCRYPTION_KEY: KEY },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const line = await lines.next();
      if (line.done) throw new Error(`backup process ended: ${stderr}`);
      return JSON.parse(String(line.value)) as { status: string };
    };
    try {
      expect(await next()).toEqual({ status: "ready" });
      // Both claim within milliseconds; a backup takes far longer (scrypt alone is ~0.1 s).
      child.stdin.write("go\n");
      const [mine, theirs] = await Promise.all([runBackup(db, { trigger: "manual", actor: ctx, config }), next()]);
      expect([mine.status, theirs.status].sort()).toEqual(["completed", "skipped"]);
      if (mine.status === "skipped") expect(mine.reason).toMatch(/^A backup is already running/);
      expect(await db.backup.count()).toBe(1);
      expect(fs.readdirSync(config.dir)).toHaveLength(1);

      // And in one process, two at once: one runs, one is skipped.
      await db.backup.deleteMany({});
      const both = await Promise.all([
        runBackup(db, { trigger: "manual", actor: ctx, config }),
        runBackup(db, { trigger: "scheduled", actor: ctx, config }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual(["completed", "skipped"]);
    } finally {
      child.stdin.end();
      child.kill();
    }
  });

  it("skips while a recent backup is running, and fails a stale one before running", async () => {
    const config = cfg();
    const young = await db.backup.create({
      data: { file_name: "young.db.gz.enc", path: "/nowhere/young", status: "running", started_at: new Date(Date.now() - 60_000) },
    });
    const skipped = await runBackup(db, { trigger: "scheduled", actor: ctx, config });
    expect(skipped).toMatchObject({ status: "skipped", running: { id: young.id } });

    await db.backup.update({ where: { id: young.id }, data: { started_at: new Date(Date.now() - RUNNING_STALE_MS - 60_000) } });
    const ran = await runBackup(db, { trigger: "scheduled", actor: ctx, config });
    expect(ran.status).toBe("completed");
    expect(await db.backup.findUnique({ where: { id: young.id } })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^Interrupted/),
    });
    const ev = await db.event.findFirst({ where: { type: "backup.failed" }, orderBy: { id: "desc" } });
    expect(ev!.payload).toMatchObject({ backup_id: young.id, stale: true });
  });
});

describe("retention", () => {
  const at = (iso: string) => new Date(iso);

  it("keeps the N newest plus the newest of each of the last D days", () => {
    const now = at("2026-11-24T12:00:00");
    const rows = [
      { id: "today-2", started_at: at("2026-11-24T11:00:00") },
      { id: "today-1", started_at: at("2026-11-24T05:00:00") },
      { id: "yday-2", started_at: at("2026-11-23T18:00:00") },
      { id: "yday-1", started_at: at("2026-11-23T06:00:00") },
      { id: "d2", started_at: at("2026-11-22T18:00:00") },
      { id: "d5", started_at: at("2026-11-19T18:00:00") },
      { id: "d9", started_at: at("2026-11-15T18:00:00") },
    ];
    expect([...selectKept(rows, 2, 3, now)].sort()).toEqual(["d2", "today-1", "today-2", "yday-2"].sort());
    expect([...selectKept(rows, 1, 0, now)]).toEqual(["today-2"]);
    expect(selectKept(rows, 8, 7, now).size).toBe(7);
  });

  it("deletes the other files (and their uploaded copies), marks their rows deleted and emits backup.pruned", async () => {
    const uploadDir = path.join(root, `retention-upload-${++seq}`);
    const config = cfg({ keep: 2, keepDaily: 2, uploadDir });
    fs.mkdirSync(config.dir, { recursive: true });
    fs.mkdirSync(uploadDir, { recursive: true });
    const now = new Date();
    const ages = [0, 1, 2, 3, 24, 25, 72, 96].map((h) => h * 3_600_000);
    const rows: Backup[] = [];
    for (const [i, age] of ages.entries()) {
      const name = `preroll-test-${i}.db.gz.enc`;
      fs.writeFileSync(path.join(config.dir, name), "x");
      fs.writeFileSync(path.join(uploadDir, name), "x");
      rows.push(
        await db.backup.create({
          data: {
            file_name: name,
            path: path.join(config.dir, name),
            status: "completed",
            started_at: new Date(now.getTime() - age),
            uploaded_to: path.join(uploadDir, name),
            size_bytes: 1,
          },
        }),
      );
    }
    const keptIds = selectKept(rows, 2, 2, now);
    const result = await applyRetention(db, ctx, { config, now });
    expect(result.kept).toBe(keptIds.size);
    expect(result.deleted).toHaveLength(rows.length - keptIds.size);
    for (const r of rows) {
      const row = await db.backup.findUnique({ where: { id: r.id } });
      const keep = keptIds.has(r.id);
      expect(row!.status, r.file_name).toBe(keep ? "completed" : "deleted");
      expect(fs.existsSync(r.path), r.file_name).toBe(keep);
      expect(fs.existsSync(r.uploaded_to!), r.file_name).toBe(keep);
    }
    // The two newest are always kept; the 96 h old one never (beyond both rules).
    expect(keptIds.has(rows[0].id) && keptIds.has(rows[1].id)).toBe(true);
    expect(keptIds.has(rows[7].id)).toBe(false);
    const ev = await db.event.findFirst({ where: { type: "backup.pruned" }, orderBy: { id: "desc" } });
    expect((ev!.payload as { deleted: unknown[] }).deleted).toHaveLength(result.deleted.length);

    // A second run has nothing left to do.
    expect((await applyRetention(db, ctx, { config, now: new Date(now.getTime() + 1000) })).deleted).toEqual([]);
  });

  it("runs after every backup: with BACKUP_KEEP=2 and no daily slots, three backups leave two files", async () => {
    const config = cfg({ keep: 2, keepDaily: 0 });
    const first = await backupNow(config);
    await backupNow(config);
    const third = await backupNow(config);
    expect(third.retention?.deleted.map((d) => d.backup_id)).toEqual([first.backup.id]);
    expect(fs.readdirSync(config.dir).sort()).toHaveLength(2);
    expect(fs.existsSync(first.backup.path)).toBe(false);
  });
});

describe("backup subscriber handler and job", () => {
  const subscriber = { id: "sub-1", name: "nightly-import-backup", kind: "backup", config: {} } as unknown as Subscriber;
  const envelope = (type: string): EventEnvelope => ({
    id: 1,
    type,
    payload: {},
    metadata: { timestamp: new Date().toISOString(), actor: "t", traceId: "trace-abc", source: "test" },
  });
  const saved: Record<string, string | undefined> = {};

  beforeAll(() => {
    for (const k of ["BACKUP_DIR", "BACKUP_ENCRYPTION_KEY"]) saved[k] = process.env[k];
    process.env.BACKUP_DIR = path.join(root, "handler-backups");
    process.env.BACKUP_ENCRYPTION_KEY = KEY;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("backs up on a matching event with trigger subscriber, never on backup.* events, and answers a test ping", async () => {
    expect(await backupHandler({ subscriber, envelope: envelope("backup.completed"), now: new Date(), deadlineMs: 60_000 })).toMatchObject({
      ok: true,
      responseExcerpt: expect.stringMatching(/^Ignored backup\.completed/),
    });
    expect(await db.backup.count()).toBe(0);

    expect(await backupHandler({ subscriber, envelope: envelope("test.ping"), now: new Date(), deadlineMs: 60_000 })).toMatchObject({
      ok: true,
      responseExcerpt: expect.stringMatching(/is writable$/),
    });

    const res = await backupHandler({ subscriber, envelope: envelope("import.completed"), now: new Date(), deadlineMs: 60_000 });
    expect(res).toMatchObject({ ok: true, responseExcerpt: expect.stringMatching(/^Backup preroll-.* written/) });
    const row = await db.backup.findFirst({ orderBy: { started_at: "desc" } });
    expect(row).toMatchObject({ trigger: "subscriber", status: "completed", encrypted: true });
    const started = await db.event.findFirst({ where: { type: "backup.started" }, orderBy: { id: "desc" } });
    expect(started).toMatchObject({ actor: "subscriber:nightly-import-backup", trace_id: "trace-abc" });

    // min_interval_minutes: a burst of events makes one backup.
    const throttled = { ...subscriber, config: { min_interval_minutes: 10 } } as unknown as Subscriber;
    expect(
      await backupHandler({ subscriber: throttled, envelope: envelope("import.completed"), now: new Date(), deadlineMs: 60_000 }),
    ).toMatchObject({ ok: true, responseExcerpt: expect.stringMatching(/^Skipped/) });
    expect(await db.backup.count()).toBe(1);
  });

  it("fails the delivery (to be retried) while another backup runs", async () => {
    await db.backup.create({ data: { file_name: "busy.db.gz.enc", path: "/nowhere/busy", status: "running" } });
    const res = await backupHandler({ subscriber, envelope: envelope("batch.archived"), now: new Date(), deadlineMs: 60_000 });
    expect(res).toMatchObject({ ok: false, error: expect.stringMatching(/already running.*retrying later/) });
  });

  it("the backups job runs a scheduled backup and fails the run when the backup fails", async () => {
    expect(backupsJob.name).toBe("backups");
    expect(await backupsJob.intervalSeconds()).toBe(6 * 3600);
    const run = { ctx, now: new Date(), runId: "r1", trigger: "scheduled" as const, signal: new AbortController().signal, client: db };
    const summary = (await backupsJob.run(run)) as { file: string; encrypted: boolean };
    expect(summary).toMatchObject({ file: expect.stringMatching(/^preroll-/), encrypted: true });
    expect(await db.backup.findFirst({ where: { file_name: summary.file } })).toMatchObject({ trigger: "scheduled", status: "completed" });

    const blocker = path.join(root, `job-blocker-${++seq}`);
    fs.writeFileSync(blocker, "x");
    process.env.BACKUP_DIR = path.join(blocker, "sub");
    try {
      await expect(backupsJob.run(run)).rejects.toThrow();
    } finally {
      process.env.BACKUP_DIR = path.join(root, "handler-backups");
    }
  });
});

describe("routes", () => {
  let p: Awaited<ReturnType<typeof createPrincipals>>;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    p = await createPrincipals();
    for (const k of ["BACKUP_DIR", "BACKUP_ENCRYPTION_KEY", "BACKUP_INTERVAL_HOURS"]) saved[k] = process.env[k];
    process.env.BACKUP_DIR = path.join(root, "route-backups");
    delete process.env.BACKUP_ENCRYPTION_KEY;
    delete process.env.BACKUP_INTERVAL_HOURS;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const status = (headers: Record<string, string>) => call(statusRoute.GET, { path: "/api/backup-status", headers });

  it("GET /api/backup-status has the contract's shape for API keys and every role, and never_run before any backup", async () => {
    expect((await status(p.headers.anonymous)).status).toBe(401);
    for (const who of ["apiKey", "viewer", "operator", "admin"] as const) {
      const res = await status(p.headers[who]);
      expect(res.status, who).toBe(200);
      expect(res.json).toMatchObject({ last_backup: null, backup_count: 0, backup_size_mb: 0, status: "never_run", next_scheduled: null });
    }
  });

  it("POST /api/backup (admin) runs one now and returns the row; the status then reports it, unencrypted with a warning", async () => {
    expect((await call(backupRoute.POST, { method: "POST", path: "/api/backup", headers: p.headers.operator, body: {} })).status).toBe(403);
    expect((await call(backupRoute.POST, { method: "POST", path: "/api/backup", headers: p.headers.apiKey, body: {} })).status).toBe(403);

    const res = await call(backupRoute.POST, { method: "POST", path: "/api/backup", headers: p.headers.admin, body: {} });
    expect(res.status).toBe(201);
    const b = res.json.backup;
    expect(b).toMatchObject({
      status: "completed",
      trigger: "manual",
      encrypted: false,
      file_name: expect.stringMatching(/\.db\.gz$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(fs.existsSync(path.join(root, "route-backups", b.file_name))).toBe(true);
    const audit = await db.auditLog.findFirst({ where: { entity: "backup", entity_id: b.id } });
    expect(audit?.actor).toBe("admin");

    const s = await status(p.headers.apiKey);
    expect(Object.keys(s.json)).toEqual(
      expect.arrayContaining(["last_backup", "backup_count", "backup_size_mb", "status", "next_scheduled"]),
    );
    expect(s.json).toMatchObject({
      last_backup: b.finished_at,
      backup_count: 1,
      backup_size_mb: Math.round((b.size_bytes / 1e6) * 100) / 100,
      status: "success",
      // No `backups` job row yet (no worker started): last backup + BACKUP_INTERVAL_HOURS (6).
      next_scheduled: new Date(Date.parse(b.started_at) + 6 * 3_600_000).toISOString(),
      encrypted: false,
      encryption_configured: false,
      running: false,
    });
    expect(s.json.warnings.join(" ")).toMatch(/BACKUP_ENCRYPTION_KEY is not set/);
    // Key holders and viewers see no server paths.
    expect(s.text).not.toContain(root);
  });

  it("next_scheduled comes from the backups job row when the worker has one (null while disabled)", async () => {
    const next = new Date(Date.now() + 3 * 3_600_000);
    await db.job.upsert({
      where: { name: "backups" },
      create: { name: "backups", interval_seconds: 21600, next_run_at: next },
      update: { next_run_at: next, enabled: true },
    });
    try {
      expect((await status(p.headers.viewer)).json.next_scheduled).toBe(next.toISOString());
      await db.job.update({ where: { name: "backups" }, data: { enabled: false } });
      expect((await status(p.headers.viewer)).json.next_scheduled).toBeNull();
    } finally {
      await db.job.delete({ where: { name: "backups" } });
    }
  });

  it("status says failed after a failed backup, and POST answers 409 while another backup runs", async () => {
    await db.backup.create({
      data: {
        file_name: "x-failed",
        path: "/nowhere/x",
        status: "failed",
        error: "disk full",
        started_at: new Date(),
        finished_at: new Date(),
      },
    });
    expect((await status(p.headers.viewer)).json).toMatchObject({ status: "failed", last_error: "disk full" });

    await db.backup.create({ data: { file_name: "x-running", path: "/nowhere/y", status: "running" } });
    const res = await call(backupRoute.POST, { method: "POST", path: "/api/backup", headers: p.headers.admin, body: {} });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: "backup_running", error: expect.stringMatching(/^A backup is already running/) });
    expect((await status(p.headers.viewer)).json.running).toBe(true);
  });

  it("GET /api/admin/backups lists every backup newest first, for admins only", async () => {
    const config = cfg({ encryptionKey: null });
    const one = await backupNow(config);
    const two = await backupNow(config);
    await db.backup.create({
      data: { file_name: "old-failed", path: "/nowhere/z", status: "failed", error: "boom", started_at: new Date(Date.now() - 3_600_000) },
    });
    for (const who of ["viewer", "operator"] as const) {
      expect((await call(adminBackupsRoute.GET, { path: "/api/admin/backups", headers: p.headers[who] })).status).toBe(403);
    }
    expect((await call(adminBackupsRoute.GET, { path: "/api/admin/backups", headers: p.headers.apiKey })).status).toBe(401);
    const res = await call(adminBackupsRoute.GET, { path: "/api/admin/backups", headers: p.headers.admin });
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(3);
    expect(res.json.backups.map((b: { id: string }) => b.id)).toEqual([two.backup.id, one.backup.id, expect.any(String)]);
    expect(res.json.backups[2]).toMatchObject({ file_name: "old-failed", status: "failed", error: "boom" });
    const failedOnly = await call(adminBackupsRoute.GET, { path: "/api/admin/backups?status=failed&limit=5", headers: p.headers.admin });
    expect(failedOnly.json.backups.map((b: { file_name: string }) => b.file_name)).toEqual(["old-failed"]);
  });
  it("GET /api/admin/backups/{name}/download streams a completed backup to admins only, and refuses other names", async () => {
    const done = await backupNow(cfg({ encryptionKey: null }));
    const name = done.backup.file_name;
    const download = (file: string, headers: Record<string, string>) =>
      call(downloadBackupRoute.GET, { path: `/api/admin/backups/${encodeURIComponent(file)}/download`, params: { name: file }, headers });

    for (const who of ["viewer", "operator"] as const) expect((await download(name, p.headers[who])).status, who).toBe(403);
    expect((await download(name, p.headers.apiKey)).status).toBe(401);
    expect((await download(name, p.headers.anonymous)).status).toBe(401);

    // Raw bytes (call() reads text, which would mangle gzip): the route's Response itself.
    const { NextRequest } = await import("next/server");
    const req = new NextRequest(new URL(`/api/admin/backups/${name}/download`, "http://localhost:3000"), {
      headers: { host: "localhost:3000", ...p.headers.admin },
    });
    const res = await downloadBackupRoute.GET(req, { params: Promise.resolve({ name }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(done.backup.size_bytes);
    expect(Number(res.headers.get("content-length"))).toBe(done.backup.size_bytes);
    expect(crypto.createHash("sha256").update(bytes).digest("hex")).toBe(done.backup.sha256);

    // Path traversal and anything that is not a plain file name: refused before any lookup.
    for (const bad of ["../preroll.db", "..%2Fpreroll.db", "/etc/passwd", "sub/dir.db.gz", ".tmp-x.db.gz", "a..b", "x\\y"]) {
      const refused = await download(bad, p.headers.admin);
      expect(refused.status, bad).toBe(400);
    }
    // A plausible name that is not a completed backup (a failed row, or none): 404.
    await db.backup.create({ data: { file_name: "preroll-failed.db.gz", path: "/etc/passwd", status: "failed", error: "x" } });
    expect((await download("preroll-failed.db.gz", p.headers.admin)).status).toBe(404);
    expect((await download("preroll-20990101T000000Z-abcdef.db.gz", p.headers.admin)).status).toBe(404);
    // The row exists but its file was removed from disk.
    fs.rmSync(done.backup.path);
    expect((await download(name, p.headers.admin)).json).toMatchObject({ code: "backup_file_missing" });
  });
});
