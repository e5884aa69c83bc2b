import path from "node:path";
import { DEFAULT_DATABASE_URL, databaseUrl, sqlitePath } from "@/lib/db/client";

/**
 * Backup settings, read from the environment at each call (a changed .env applies on restart of
 * the worker; tests set them per case). lib/config/env.ts validates the same variables at start.
 */

export const DEFAULT_BACKUP_KEEP = 8;
export const DEFAULT_BACKUP_KEEP_DAILY = 7;
export const DEFAULT_BACKUP_INTERVAL_HOURS = 6;
/**
 * A `running` backup row older than this belongs to a process that died mid-backup: the next run
 * marks it failed instead of waiting for it. Far above any real backup of this app's database.
 */
export const RUNNING_STALE_MS = 30 * 60_000;

export interface BackupConfig {
  /** Absolute folder the backup files are written to. */
  dir: string;
  /** BACKUP_ENCRYPTION_KEY; null writes unencrypted `.db.gz` files (with a warning). */
  encryptionKey: string | null;
  keep: number;
  keepDaily: number;
  intervalHours: number;
  /** Absolute second folder every backup is copied to (a mounted NAS/remote disk), or null. */
  uploadDir: string | null;
  staleAfterMs: number;
}

function positiveInt(raw: string | undefined, fallback: number, min: number): number {
  const n = raw?.trim() ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= min ? n : fallback;
}

/** The SQLite file behind DATABASE_URL (the only database kind backups support). */
export function databaseFile(url = databaseUrl()): string {
  if (!url.startsWith("file:")) throw new Error("Backups support SQLite databases only (DATABASE_URL=file:…)");
  return sqlitePath(url);
}

/**
 * BACKUP_DIR when set (relative to the app folder); otherwise a `backups` folder beside the
 * database — `data/backups` for the default `data/preroll.db`, and inside a test's or a bench's
 * temporary folder for their throw-away databases (never the app's own data folder).
 */
function backupDir(env: NodeJS.ProcessEnv): string {
  const configured = env.BACKUP_DIR?.trim();
  if (configured) return path.resolve(/* turbopackIgnore: true */ process.cwd(), configured);
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  return path.join(path.dirname(databaseFile(url)), "backups");
}

export function readBackupConfig(env: NodeJS.ProcessEnv = process.env): BackupConfig {
  const hours = Number(env.BACKUP_INTERVAL_HOURS?.trim() || NaN);
  const upload = env.BACKUP_UPLOAD_DIR?.trim();
  return {
    dir: backupDir(env),
    encryptionKey: env.BACKUP_ENCRYPTION_KEY?.trim() || null,
    keep: positiveInt(env.BACKUP_KEEP, DEFAULT_BACKUP_KEEP, 1),
    keepDaily: positiveInt(env.BACKUP_KEEP_DAILY, DEFAULT_BACKUP_KEEP_DAILY, 0),
    intervalHours: Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_BACKUP_INTERVAL_HOURS,
    uploadDir: upload ? path.resolve(/* turbopackIgnore: true */ process.cwd(), upload) : null,
    staleAfterMs: RUNNING_STALE_MS,
  };
}
