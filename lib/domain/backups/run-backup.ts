import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import type { ActorContext } from "@/lib/context";
import { databaseUrl, db as defaultDb, isPostgresUrl, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { logger } from "@/lib/log";
import type { Backup } from "@/lib/generated/prisma/client";
import { encryptFile, gzipFile, sha256File, type BackupEngine } from "@/lib/domain/backups/backup-file";
import { dumpPostgres } from "@/lib/domain/backups/postgres-backup";
import { databaseFile, readBackupConfig, type BackupConfig } from "@/lib/domain/backups/config";
import { applyRetention, type RetentionResult } from "@/lib/domain/backups/retention";
import { TEMP_PREFIX, type BackupTrigger } from "@/lib/domain/backups/backup-view";

/**
 * One backup (SPEC §5): an online-consistent copy of the SQLite database (on PostgreSQL: a
 * `pg_dump -Fc` snapshot, postgres-backup.ts), gzipped, encrypted when
 * BACKUP_ENCRYPTION_KEY is set (format: backup-file.ts), written atomically into BACKUP_DIR,
 * optionally copied to BACKUP_UPLOAD_DIR, recorded in `backups` (size, SHA-256 of the final file,
 * duration) with `backup.completed` / `backup.failed`, then retention.
 *
 * One backup at a time across processes: the `running` row is the lock. It is inserted in a
 * write transaction (one writer at a time: BEGIN IMMEDIATE on SQLite, the write lock of mutate on
 * PostgreSQL) only if no `running` row
 * exists; a `running` row older than RUNNING_STALE_MS is a crashed run's and is marked failed.
 *
 * Without a key the backup is written unencrypted (`.db.gz`, `encrypted: false` on the row and in
 * GET /api/backup-status) and a warning is logged each time: an unencrypted backup beats none,
 * and the status endpoint makes the choice visible.
 */

/** Pages copied per step of the online backup (4 KiB pages: 8 MiB), yielding to the event loop between steps. */
const STEP_PAGES = 2048;
/**
 * SQLite restarts an online backup when another connection writes between steps. After this many
 * restarts the rest is copied in one step (one read transaction), so a busy app cannot starve it.
 */
const MAX_RESTARTS = 3;
const STALE_ERROR = "Interrupted: the process running this backup stopped before it finished";

export interface RunBackupOptions {
  trigger: BackupTrigger;
  /** Who asked (a user, `worker`): written on the audit rows and events. */
  actor: ActorContext;
  config?: BackupConfig;
  /** The SQLite file or postgresql:// URL to back up; default DATABASE_URL. */
  databasePath?: string;
  now?: () => Date;
}

export interface BackupTimings {
  copy_ms: number;
  compress_ms: number;
  encrypt_ms: number;
  upload_ms: number;
  total_ms: number;
}

export type RunBackupResult =
  | { status: "completed"; backup: Backup; timings: BackupTimings; retention: RetentionResult | null; uploadError: string | null }
  | { status: "failed"; backup: Backup; error: string }
  | { status: "skipped"; reason: string; running: Backup };

class SlotTaken extends Error {
  constructor(readonly running: Backup) {
    super("a backup is running");
  }
}

/**
 * `preroll-20261124T060000Z-3f9a1c.db.gz[.enc]` (`.pgdump.gz[.enc]` on PostgreSQL): sorts by time,
 * unique even within a second.
 */
export function backupFileName(at: Date, encrypted: boolean, engine: BackupEngine = "sqlite"): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `preroll-${stamp}-${crypto.randomBytes(3).toString("hex")}.${engine === "postgresql" ? "pgdump" : "db"}.gz${encrypted ? ".enc" : ""}`;
}

export async function runBackup(client: Db = defaultDb, options: RunBackupOptions): Promise<RunBackupResult> {
  const config = options.config ?? readBackupConfig();
  const target = options.databasePath ?? databaseUrl();
  const engine: BackupEngine = isPostgresUrl(target) ? "postgresql" : "sqlite";
  const source = engine === "postgresql" ? target : (options.databasePath ?? databaseFile());
  const clock = options.now ?? (() => new Date());
  const t0 = performance.now();
  const encrypted = !!config.encryptionKey;
  const fileName = backupFileName(clock(), encrypted, engine);
  const finalPath = path.join(config.dir, fileName);

  const claim = await claimSlot(client, options, config, fileName, finalPath, encrypted, clock());
  if (claim.kind === "skipped") {
    const reason = `A backup is already running (${claim.running.file_name}, started ${claim.running.started_at.toISOString()})`;
    logger.info({ running: claim.running.file_name }, "backup skipped: another backup is running");
    return { status: "skipped", reason, running: claim.running };
  }
  const row = claim.backup;
  if (!encrypted) logger.warn({ file: fileName }, "BACKUP_ENCRYPTION_KEY is not set: writing an unencrypted backup");

  const tmp = path.join(config.dir, `${TEMP_PREFIX}${row.id}`);
  const tmpDb = `${tmp}.db`;
  const tmpGz = `${tmp}.db.gz`;
  const tmpEnc = `${tmp}.db.gz.enc`;
  const timings: BackupTimings = { copy_ms: 0, compress_ms: 0, encrypt_ms: 0, upload_ms: 0, total_ms: 0 };
  const lap = (since: number) => Math.round(performance.now() - since);
  try {
    await fsp.mkdir(config.dir, { recursive: true, mode: 0o700 });
    await removeLeftovers(config.dir, row.id);

    let t = performance.now();
    let dbBytes: number;
    if (engine === "postgresql") {
      // Streamed: pg_dump's output is gzipped as it arrives (copy_ms includes the compression).
      dbBytes = await dumpPostgres(source, tmpGz);
      timings.copy_ms = lap(t);
    } else {
      dbBytes = await copyDatabase(source, tmpDb);
      timings.copy_ms = lap(t);

      t = performance.now();
      await gzipFile(tmpDb, tmpGz);
      await fsp.rm(tmpDb, { force: true });
      timings.compress_ms = lap(t);
    }

    t = performance.now();
    let written: string;
    let sha256: string;
    let size: number;
    if (config.encryptionKey) {
      ({ sha256, size } = await encryptFile(tmpGz, tmpEnc, config.encryptionKey));
      await fsp.rm(tmpGz, { force: true });
      written = tmpEnc;
    } else {
      await fsyncFile(tmpGz);
      sha256 = await sha256File(tmpGz);
      size = (await fsp.stat(tmpGz)).size;
      written = tmpGz;
    }
    timings.encrypt_ms = lap(t);
    await fsp.rename(written, finalPath);
    await fsyncDir(config.dir);

    let uploadedTo: string | null = null;
    let uploadError: string | null = null;
    if (config.uploadDir) {
      t = performance.now();
      try {
        uploadedTo = await upload(finalPath, fileName, config.uploadDir, sha256);
      } catch (err) {
        // The local backup is good; the failed copy is on the row and the event, and logged.
        uploadError = `Upload to ${config.uploadDir} failed: ${(err as Error).message}`;
        logger.error({ err, file: fileName }, "backup upload failed");
      }
      timings.upload_ms = lap(t);
    }
    timings.total_ms = lap(t0);

    const backup = await mutate(
      options.actor,
      async (m) => {
        const done = await m.tx.backup.update({
          where: { id: row.id },
          data: {
            status: "completed",
            size_bytes: size,
            db_bytes: dbBytes,
            sha256,
            duration_ms: timings.total_ms,
            uploaded_to: uploadedTo,
            error: uploadError,
            finished_at: m.now,
          },
        });
        await m.audit({
          entity: "backup",
          entityId: row.id,
          label: fileName,
          before: { status: "running" },
          after: { status: "completed", size_bytes: size, sha256, uploaded_to: uploadedTo },
        });
        await m.emit("backup.completed", {
          file: fileName,
          size_bytes: size,
          sha256,
          duration_ms: timings.total_ms,
          backup_id: row.id,
          trigger: options.trigger,
          encrypted,
          db_bytes: dbBytes,
          uploaded_to: uploadedTo,
          upload_error: uploadError,
        });
        return done;
      },
      client,
    );
    logger.info({ file: fileName, size_bytes: size, db_bytes: dbBytes, encrypted, ...timings }, "backup completed");

    let retention: RetentionResult | null = null;
    try {
      retention = await applyRetention(client, options.actor, { config, now: clock() });
    } catch (err) {
      // A retention problem must not turn a good backup into a failed one.
      logger.error({ err }, "backup retention failed");
    }
    return { status: "completed", backup, timings, retention, uploadError };
  } catch (err) {
    const message = (err as Error).message || String(err);
    logger.error({ err, file: fileName }, "backup failed");
    // A failed backup leaves no file behind: the row says failed, so nothing would ever prune it.
    await fsp.rm(finalPath, { force: true }).catch(() => undefined);
    const backup = await mutate(
      options.actor,
      async (m) => {
        const failed = await m.tx.backup.update({
          where: { id: row.id },
          data: { status: "failed", error: message.slice(0, 2000), finished_at: m.now, duration_ms: lap(t0) },
        });
        await m.audit({
          entity: "backup",
          entityId: row.id,
          label: fileName,
          before: { status: "running" },
          after: { status: "failed", error: message },
        });
        await m.emit("backup.failed", {
          error: message,
          backup_id: row.id,
          file: fileName,
          trigger: options.trigger,
          duration_ms: lap(t0),
        });
        return failed;
      },
      client,
    );
    return { status: "failed", backup, error: message };
  } finally {
    for (const f of [tmpDb, `${tmpDb}-journal`, tmpGz, tmpEnc]) await fsp.rm(f, { force: true }).catch(() => undefined);
  }
}

/** Inserts the `running` row unless another backup holds the slot; stale rows are failed first. */
async function claimSlot(
  client: Db,
  options: RunBackupOptions,
  config: BackupConfig,
  fileName: string,
  finalPath: string,
  encrypted: boolean,
  now: Date,
): Promise<{ kind: "claimed"; backup: Backup } | { kind: "skipped"; running: Backup }> {
  try {
    return await mutate(
      options.actor,
      async (m) => {
        const stale = await m.tx.backup.findMany({
          where: { status: "running", started_at: { lt: new Date(now.getTime() - config.staleAfterMs) } },
        });
        for (const s of stale) {
          await m.tx.backup.update({ where: { id: s.id }, data: { status: "failed", error: STALE_ERROR, finished_at: m.now } });
          await m.audit({
            entity: "backup",
            entityId: s.id,
            label: s.file_name,
            before: { status: "running" },
            after: { status: "failed", error: STALE_ERROR },
          });
          await m.emit("backup.failed", { error: STALE_ERROR, backup_id: s.id, file: s.file_name, trigger: s.trigger, stale: true });
        }
        const running = await m.tx.backup.findFirst({ where: { status: "running" }, orderBy: { started_at: "desc" } });
        if (running) {
          // Nothing written: roll back (mutate insists on an event for a commit).
          if (stale.length === 0) throw new SlotTaken(running);
          return { kind: "skipped" as const, running };
        }
        const backup = await m.tx.backup.create({
          data: { file_name: fileName, path: finalPath, status: "running", trigger: options.trigger, encrypted, started_at: now },
        });
        await m.audit({
          entity: "backup",
          entityId: backup.id,
          label: fileName,
          before: null,
          after: { status: "running", trigger: options.trigger, encrypted },
        });
        await m.emit("backup.started", { backup_id: backup.id, file: fileName, trigger: options.trigger, encrypted });
        return { kind: "claimed" as const, backup };
      },
      client,
    );
  } catch (err) {
    if (err instanceof SlotTaken) return { kind: "skipped", running: err.running };
    throw err;
  }
}

/**
 * SQLite's online backup API on a connection of our own: a page-level copy that sees one
 * consistent state of the database while the app keeps writing (WAL). A file copy of the live
 * database could miss the WAL's committed pages or catch a checkpoint halfway. The copy is then
 * switched to a rollback journal (one self-contained file) and quick-checked. Returns its size.
 */
async function copyDatabase(source: string, dest: string): Promise<number> {
  await fsp.access(source).catch(() => {
    throw new Error(`Database file not found: ${source}`);
  });
  const conn = new Database(source, { fileMustExist: true, timeout: 30_000 });
  try {
    let lastRemaining = Infinity;
    let restarts = 0;
    await conn.backup(dest, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > lastRemaining) restarts++;
        lastRemaining = remainingPages;
        return restarts >= MAX_RESTARTS ? totalPages : STEP_PAGES;
      },
    });
  } finally {
    conn.close();
  }
  const copy = new Database(dest, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(`The database copy failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
  await fsyncFile(dest);
  return (await fsp.stat(dest)).size;
}

/** Copies the backup into the upload folder (temp + rename) and checks the copy's SHA-256. */
async function upload(file: string, name: string, dir: string, sha256: string): Promise<string> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `${TEMP_PREFIX}${name}`);
  try {
    await fsp.copyFile(file, tmp);
    await fsyncFile(tmp);
    if ((await sha256File(tmp)) !== sha256) throw new Error("the copy's SHA-256 differs from the backup's");
    const dest = path.join(dir, name);
    await fsp.rename(tmp, dest);
    await fsyncDir(dir);
    return dest;
  } finally {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Temp files of a backup that died (only one backup runs at a time, so none is another's). */
async function removeLeftovers(dir: string, ownId: string): Promise<void> {
  for (const name of await fsp.readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX) && !name.startsWith(`${TEMP_PREFIX}${ownId}`)) {
      await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await fsp.open(file, "r+");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename durable (the directory entry). Not supported on every platform: best effort. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Windows cannot open a directory for fsync; the rename itself is still atomic.
  }
}
