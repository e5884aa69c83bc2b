import {
  backupEngine,
  BackupFileError,
  checkKey,
  ENGINE_LABEL,
  inspectBackupFile,
  sha256File,
  type BackupEngine,
} from "@/lib/domain/backups/backup-file";
import { WORKER_FRESH_MS } from "@/lib/domain/backups/config";

/**
 * The checks a restore makes before it changes anything, the same for SQLite and PostgreSQL
 * (restore-backup.ts, postgres-backup.ts): the app must look stopped, and the file must be the
 * one the backup row recorded.
 */

const RESTORE_ONTO: Record<BackupEngine, string> = {
  sqlite: "a SQLite database (DATABASE_URL=file:… or --database PATH)",
  postgresql: "PostgreSQL (DATABASE_URL=postgresql://… or --database URL)",
};
const TARGET: Record<BackupEngine, string> = { sqlite: "the target is a SQLite file", postgresql: "DATABASE_URL is PostgreSQL" };

/**
 * The cheap refusals first, before anything long: not a backup or truncated, no or wrong key, and
 * a backup of the other engine than the one it would be restored onto.
 */
export async function inspectBackupFor(target: BackupEngine, file: string, key: string | null) {
  const info = await inspectBackupFile(file);
  await checkKey(file, key);
  const engine = await backupEngine(file, key);
  if (engine && engine !== target) {
    throw new BackupFileError(
      "wrong_engine",
      `This backup holds a ${ENGINE_LABEL[engine]} database and ${TARGET[target]}: restore it onto ${RESTORE_ONTO[engine]}`,
    );
  }
  return info;
}

/**
 * Refuses while the app looks alive — a fresh worker heartbeat, or the engine's own sign of another
 * user (`otherUse`: open -wal/-shm files, other sessions) — unless `force`, which only warns.
 */
export function refuseWhileAppRuns(
  facts: { heartbeatAgeMs: number | null; otherUse: string | null },
  options: { force?: boolean; warn: (line: string) => void },
): void {
  const reasons: string[] = [];
  if (facts.heartbeatAgeMs !== null && facts.heartbeatAgeMs < WORKER_FRESH_MS) {
    reasons.push(
      `A worker wrote a heartbeat ${Math.max(0, Math.round(facts.heartbeatAgeMs / 1000))} s ago: the app looks like it is running. Stop it first (e.g. systemctl stop preroll-tracker)`,
    );
  }
  if (facts.otherUse) reasons.push(`${facts.otherUse}. Stop the app first`);
  for (const msg of reasons) {
    if (!options.force) throw new BackupFileError("database_in_use", `${msg}, or pass --force.`);
    options.warn(`${msg}; going ahead because of --force`);
  }
}

/** The file's SHA-256, checked against the one recorded when the backup was written (when there is a row). */
export async function verifyBackupChecksum(
  file: string,
  recordedSha256: string | null | undefined,
  log: (line: string) => void,
): Promise<{ sha256: string; checksumVerified: boolean }> {
  log(`checking ${file}`);
  const sha256 = await sha256File(file);
  if (!recordedSha256) {
    log("no backup row for this file in the current database: relying on the file's own authentication/CRC");
    return { sha256, checksumVerified: false };
  }
  if (recordedSha256 !== sha256) {
    throw new BackupFileError(
      "checksum_mismatch",
      `The file's SHA-256 differs from the one recorded when this backup was written (${recordedSha256.slice(0, 12)}…): it was modified or damaged; refusing to use it`,
    );
  }
  return { sha256, checksumVerified: true };
}
