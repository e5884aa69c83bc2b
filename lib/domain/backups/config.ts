import path from "node:path";
import { config, type Config } from "@/lib/config/env";
import { databaseUrl, isPostgresUrl, sqlitePath } from "@/lib/db/client";

/**
 * Backup settings, from the parsed configuration at each call (a changed .env applies on restart
 * of the worker; tests set them per case). Defaults and rules: lib/config/env.ts.
 */

/**
 * A `running` backup row older than this belongs to a process that died mid-backup: the next run
 * marks it failed instead of waiting for it. Far above any real backup of this app's database.
 */
export const RUNNING_STALE_MS = 30 * 60_000;

/** A worker beats every 10 s; the health check calls it stale after 60 s. A restore refuses while one is fresher. */
export const WORKER_FRESH_MS = 60_000;

export interface BackupConfig {
  /** Absolute folder the backup files are written to. */
  dir: string;
  /** BACKUP_ENCRYPTION_KEY; null writes unencrypted `.db.gz` / `.pgdump.gz` files (with a warning). */
  encryptionKey: string | null;
  keep: number;
  keepDaily: number;
  intervalHours: number;
  /** Absolute second folder every backup is copied to (a mounted NAS/remote disk), or null. */
  uploadDir: string | null;
  staleAfterMs: number;
}

/** The SQLite file behind DATABASE_URL (PostgreSQL URLs are backed up by pg_dump instead: postgres-backup.ts). */
export function databaseFile(url = databaseUrl()): string {
  if (!url.startsWith("file:")) throw new Error("Not a SQLite database (DATABASE_URL=file:…)");
  return sqlitePath(url);
}

/**
 * BACKUP_DIR when set (relative to the app folder); otherwise a `backups` folder beside the
 * database — `data/backups` for the default `data/preroll.db`, and inside a test's or a bench's
 * temporary folder for their throw-away databases (never the app's own data folder). On
 * PostgreSQL there is no database folder: `data/backups` in the app folder.
 */
function backupDir(env: Config): string {
  const configured = env.BACKUP_DIR?.trim();
  if (configured) return path.resolve(/* turbopackIgnore: true */ process.cwd(), configured);
  const url = env.DATABASE_URL.trim();
  if (isPostgresUrl(url)) return path.resolve(/* turbopackIgnore: true */ process.cwd(), "data", "backups");
  return path.join(path.dirname(databaseFile(url)), "backups");
}

export function readBackupConfig(env: Config = config()): BackupConfig {
  const upload = env.BACKUP_UPLOAD_DIR?.trim();
  return {
    dir: backupDir(env),
    encryptionKey: env.BACKUP_ENCRYPTION_KEY?.trim() || null,
    keep: env.BACKUP_KEEP,
    keepDaily: env.BACKUP_KEEP_DAILY,
    intervalHours: env.BACKUP_INTERVAL_HOURS,
    uploadDir: upload ? path.resolve(/* turbopackIgnore: true */ process.cwd(), upload) : null,
    staleAfterMs: RUNNING_STALE_MS,
  };
}
