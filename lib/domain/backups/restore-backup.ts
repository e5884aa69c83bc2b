import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { BackupFileError, SQLITE_MAGIC, extractBackup } from "@/lib/domain/backups/backup-file";
import { fsyncDir } from "@/lib/domain/backups/run-backup";
import { config } from "@/lib/config/env";
import { isPostgresUrl } from "@/lib/db/client";
import { WORKER_FRESH_MS } from "@/lib/domain/backups/config";
import { restorePostgresBackup } from "@/lib/domain/backups/postgres-backup";
import { inspectBackupFor, refuseWhileAppRuns, verifyBackupChecksum } from "@/lib/domain/backups/restore-checks";

/**
 * `npm run restore -- FILE` (scripts/restore.ts is the thin command line around this):
 *
 * 1. refuse while the app looks alive — a worker heartbeat younger than WORKER_FRESH_MS, or the
 *    database still open elsewhere (its -wal/-shm stay after our checkpoint) — unless `force`;
 * 2. check the file: ours (magic / gzip), complete (length), the key (key check), the SHA-256
 *    recorded in the current database's `backups` row when there is one;
 * 3. decrypt (AES-256-GCM, tag verified) and gunzip into a temp file beside the database;
 *    `PRAGMA integrity_check` must say ok and it must be a PreRoll Tracker database;
 * 4. fix-ups in the restored copy: its own backup row (copied while `running`) is marked
 *    completed, and the event id sequence continues after the replaced database's highest id, so
 *    feed cursors (`after=ID`) and webhook ids never see an id twice;
 * 5. `confirm` (the command asks unless --yes), then swap: the current database is checkpointed
 *    and kept as `<db>.before-restore-<ts>` (its -wal/-shm removed, or kept beside it if the
 *    checkpoint failed), and the restored file is renamed into place.
 * Nothing changes before step 5; every refusal is a BackupFileError with a message for the
 * operator.
 */

export { WORKER_FRESH_MS };

export interface RestorePlan {
  file: string;
  database: string;
  encrypted: boolean;
  /** When the backup was written, if the current database has its row. */
  backup_started_at: string | null;
  restored_bytes: number;
  replaces_existing: boolean;
}

export interface RestoreOptions {
  file: string;
  /**
   * The database to replace: a SQLite file path, or a postgresql:// URL (restored with pg_restore:
   * postgres-backup.ts). A backup of the other engine is refused.
   */
  databasePath: string;
  /** Default BACKUP_ENCRYPTION_KEY. */
  key?: string | null;
  /** Restore although a worker heartbeat is fresh or the database is open elsewhere. */
  force?: boolean;
  /** Last word before anything changes; false cancels. Default: go ahead. */
  confirm?: (plan: RestorePlan) => boolean | Promise<boolean>;
  now?: Date;
  log?: (line: string) => void;
}

export interface RestoreResult extends RestorePlan {
  /** Where the replaced database was kept, or null when there was none. */
  previous: string | null;
  sha256: string;
  checksum_verified: boolean;
  warnings: string[];
}

interface CurrentDbFacts {
  heartbeatAgeMs: number | null;
  row: { sha256: string | null; size_bytes: number | null; started_at: string | null } | null;
  eventSeq: number;
  openElsewhere: boolean;
  readError: string | null;
}

function stampOf(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/** Prisma stores DateTime as ISO text; SQLite's CURRENT_TIMESTAMP default is "YYYY-MM-DD HH:MM:SS" (UTC). */
function parseDbTime(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  const t = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value) ? `${value.replace(" ", "T")}Z` : value);
  return Number.isNaN(t) ? null : t;
}

function hasTable(conn: Database.Database, name: string): boolean {
  return !!conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/**
 * What the current database says: freshest worker heartbeat, this file's backup row, the event
 * id sequence — and whether another process still has it open. A damaged database (often the
 * reason for a restore) is not an error: the checks it would feed are skipped with a warning.
 */
function readCurrentDb(databasePath: string, fileName: string, now: Date, force: boolean): CurrentDbFacts {
  const facts: CurrentDbFacts = { heartbeatAgeMs: null, row: null, eventSeq: 0, openElsewhere: false, readError: null };
  if (!fs.existsSync(databasePath)) return facts;
  let conn: Database.Database | null = null;
  try {
    conn = new Database(databasePath, { fileMustExist: true, timeout: 5_000 });
    if (hasTable(conn, "worker_heartbeats")) {
      const beat = conn.prepare("SELECT beat_at FROM worker_heartbeats").all() as { beat_at: unknown }[];
      const newest = Math.max(...beat.map((b) => parseDbTime(b.beat_at) ?? 0), 0);
      if (newest > 0) facts.heartbeatAgeMs = now.getTime() - newest;
    }
    if (hasTable(conn, "backups")) {
      const row = conn.prepare("SELECT sha256, size_bytes, started_at FROM backups WHERE file_name = ?").get(fileName) as
        { sha256: string | null; size_bytes: number | null; started_at: unknown } | undefined;
      if (row) {
        const started = parseDbTime(row.started_at);
        facts.row = { sha256: row.sha256, size_bytes: row.size_bytes, started_at: started ? new Date(started).toISOString() : null };
      }
    }
    if (hasTable(conn, "events")) {
      const max = conn.prepare("SELECT MAX(id) AS id FROM events").get() as { id: number | null };
      const seq = hasTable(conn, "sqlite_sequence")
        ? (conn.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as { seq: number } | undefined)
        : undefined;
      facts.eventSeq = Math.max(max.id ?? 0, seq?.seq ?? 0);
    }
    // Folds the WAL into the database; once we close, the -wal/-shm files disappear unless
    // another connection (a running app) still holds the database open. Not while a worker is
    // alive (the restore is refused then): a running app's database is left alone.
    if (force || facts.heartbeatAgeMs === null || facts.heartbeatAgeMs >= WORKER_FRESH_MS) conn.pragma("wal_checkpoint(TRUNCATE)");
  } catch (err) {
    facts.readError = (err as Error).message;
  } finally {
    conn?.close();
  }
  facts.openElsewhere = fs.existsSync(`${databasePath}-wal`) || fs.existsSync(`${databasePath}-shm`);
  return facts;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const file = path.resolve(options.file);
  const key = options.key === undefined ? config().BACKUP_ENCRYPTION_KEY?.trim() || null : options.key;
  if (isPostgresUrl(options.databasePath)) {
    const { confirm } = options;
    return restorePostgresBackup({
      file,
      databaseUrl: options.databasePath,
      key,
      force: !!options.force,
      confirm: confirm && ((plan) => confirm(plan)),
      now,
      log,
    });
  }
  const databasePath = path.resolve(options.databasePath);
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    log(`warning: ${line}`);
  };

  const info = await inspectBackupFor("sqlite", file, key);

  const current = readCurrentDb(databasePath, path.basename(file), now, !!options.force);
  if (current.readError) warn(`the current database could not be read (${current.readError}); worker and checksum checks skipped`);
  refuseWhileAppRuns(
    {
      heartbeatAgeMs: current.heartbeatAgeMs,
      otherUse: current.openElsewhere
        ? "The database is still open in another process (its -wal/-shm files remain after a checkpoint)"
        : null,
    },
    { force: options.force, warn },
  );
  const { sha256, checksumVerified } = await verifyBackupChecksum(file, current.row?.sha256, log);

  const tmp = `${databasePath}.restore-${stampOf(now)}.tmp`;
  const cleanTmp = () => Promise.all([tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`].map((f) => fsp.rm(f, { force: true })));
  await fsp.mkdir(path.dirname(databasePath), { recursive: true });
  try {
    log(info.kind === "encrypted" ? "decrypting and decompressing" : "decompressing");
    await extractBackup(file, tmp, key);
    const unknownMigrations = await verifyRestoredDatabase(tmp);
    log("integrity_check: ok");
    if (unknownMigrations.length > 0) {
      warn(
        `the backup has migrations this version of the app does not ship (${unknownMigrations.join(", ")}): it was written by a newer version; run that version`,
      );
    }
    fixUpRestoredCopy(tmp, path.basename(file), sha256, info.size, info.kind === "encrypted", current.eventSeq);

    const plan: RestorePlan = {
      file,
      database: databasePath,
      encrypted: info.kind === "encrypted",
      backup_started_at: current.row?.started_at ?? null,
      restored_bytes: (await fsp.stat(tmp)).size,
      replaces_existing: fs.existsSync(databasePath),
    };
    if (options.confirm && !(await options.confirm(plan))) {
      throw new BackupFileError("cancelled", "Restore cancelled; nothing was changed");
    }

    const previous = await swapIn(tmp, databasePath, now, current.readError === null, warn);
    return { ...plan, previous, sha256, checksum_verified: checksumVerified, warnings };
  } finally {
    await cleanTmp().catch(() => undefined);
  }
}

/** Checks the restored file; returns the migrations it has that this app does not ship (a newer version wrote it). */
async function verifyRestoredDatabase(file: string): Promise<string[]> {
  const fh = await fsp.open(file, "r");
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (!head.equals(SQLITE_MAGIC))
    throw new BackupFileError("not_a_backup", "Not a PreRoll Tracker backup: its content is not a SQLite database");
  let conn: Database.Database | null = null;
  try {
    conn = new Database(file, { fileMustExist: true });
    const rows = conn.pragma("integrity_check") as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== "ok");
    if (problems.length > 0) {
      throw new BackupFileError(
        "integrity_failed",
        `The restored database failed PRAGMA integrity_check: ${problems.slice(0, 5).join("; ")}`,
      );
    }
    if (!hasTable(conn, "_prisma_migrations") || !hasTable(conn, "batches")) {
      throw new BackupFileError("not_a_backup", "Not a PreRoll Tracker backup: the database inside has no PreRoll Tracker tables");
    }
    const applied = (
      conn.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as {
        migration_name: string;
      }[]
    ).map((r) => r.migration_name);
    const shipped = shippedMigrations();
    return shipped ? applied.filter((name) => !shipped.has(name)) : [];
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    throw new BackupFileError("integrity_failed", `The restored database cannot be opened: ${(err as Error).message}`);
  } finally {
    conn?.close();
  }
}

function shippedMigrations(): Set<string> | null {
  try {
    const dir = path.join(/* turbopackIgnore: true */ process.cwd(), "prisma", "migrations");
    return new Set(
      fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    );
  } catch {
    return null; // no migrations folder here: cannot tell
  }
}

function fixUpRestoredCopy(file: string, fileName: string, sha256: string, size: number, encrypted: boolean, eventSeq: number): void {
  const conn = new Database(file, { fileMustExist: true });
  try {
    conn.transaction(() => {
      if (hasTable(conn, "backups")) {
        // The copy was taken while this backup's own row said `running`; the file proves it finished.
        conn
          .prepare(
            "UPDATE backups SET status = 'completed', sha256 = ?, size_bytes = ?, encrypted = ?, finished_at = COALESCE(finished_at, started_at) WHERE file_name = ? AND status = 'running'",
          )
          .run(sha256, size, encrypted ? 1 : 0, fileName);
      }
      if (eventSeq > 0 && hasTable(conn, "sqlite_sequence")) {
        const updated = conn.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'events'").run(eventSeq);
        if (updated.changes === 0) conn.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)").run(eventSeq);
      }
    })();
    conn.pragma("journal_mode = DELETE");
  } finally {
    conn.close();
  }
}

/** Current database → `<db>.before-restore-<ts>` (with its -wal/-shm if they hold data), restored copy → `<db>`. */
async function swapIn(
  tmp: string,
  databasePath: string,
  now: Date,
  checkpointed: boolean,
  warn: (line: string) => void,
): Promise<string | null> {
  let previous: string | null = null;
  if (fs.existsSync(databasePath)) {
    const mode = (await fsp.stat(databasePath)).mode & 0o777;
    await fsp.chmod(tmp, mode).catch(() => undefined);
    previous = `${databasePath}.before-restore-${stampOf(now)}`;
    await fsp.rename(databasePath, previous);
    for (const suffix of ["-wal", "-shm"]) {
      const side = `${databasePath}${suffix}`;
      if (!fs.existsSync(side)) continue;
      if (checkpointed && suffix === "-shm") await fsp.rm(side, { force: true });
      else {
        // Its WAL may hold committed changes the checkpoint did not fold in: kept with it.
        await fsp.rename(side, `${previous}${suffix}`);
        warn(`kept ${path.basename(side)} as ${path.basename(previous)}${suffix}`);
      }
    }
  }
  await fsp.rename(tmp, databasePath);
  await fsyncDir(path.dirname(databasePath));
  return previous;
}
