import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { readIntervalOverrides } from "@/lib/jobs/interval-overrides";
import { readBackupConfig, type BackupConfig } from "@/lib/domain/backups/config";
import { toBackupView, type BackupView } from "@/lib/domain/backups/backup-view";

/** Name of the worker job that runs scheduled backups (its `jobs` row gives `next_scheduled`). */
export const BACKUP_JOB_NAME = "backups";

/**
 * `GET /api/backup-status` (contract: `{last_backup, backup_count, backup_size_mb, status,
 * next_scheduled}`), for API keys and every signed-in role — so no paths or error details beyond
 * the message of the last failure.
 * - `last_backup`: ISO time the newest completed backup finished, or null;
 * - `backup_count`: completed backups kept on disk;
 * - `backup_size_mb`: size of that newest backup (MB = 10^6 bytes, 2 decimals) — the existing
 *   system reported the last backup's size; `total_size_mb` adds all kept ones;
 * - `status`: the last finished attempt — `success`, `failed`, or `never_run` (the existing
 *   system's values); `running` says whether one is under way;
 * - `next_scheduled`: the `backups` job's next run (null while that job is disabled); without a
 *   job row (worker never started) the last attempt + the interval (admin override on the Jobs
 *   page, else BACKUP_INTERVAL_HOURS), or null before any backup.
 * Added beside them: `encrypted` (the newest backup's) and `encryption_configured` (the key is set
 * now), with `warnings` saying so when backups are not encrypted.
 */
export interface BackupStatus {
  last_backup: string | null;
  backup_count: number;
  backup_size_mb: number;
  status: "success" | "failed" | "never_run";
  next_scheduled: string | null;
  running: boolean;
  total_size_mb: number;
  last_backup_size_bytes: number | null;
  last_error: string | null;
  encrypted: boolean;
  encryption_configured: boolean;
  upload_configured: boolean;
  interval_hours: number;
  warnings: string[];
}

const mb = (bytes: number) => Math.round((bytes / 1_000_000) * 100) / 100;

export async function backupStatus(client: Db, options: { config?: BackupConfig; now?: Date } = {}): Promise<BackupStatus> {
  const config = options.config ?? readBackupConfig();
  const [newest, lastAttempt, kept, running, job, overrides] = await Promise.all([
    client.backup.findFirst({ where: { status: "completed" }, orderBy: { started_at: "desc" } }),
    client.backup.findFirst({ where: { status: { in: ["completed", "failed", "deleted"] } }, orderBy: { started_at: "desc" } }),
    client.backup.aggregate({ where: { status: "completed" }, _count: { _all: true }, _sum: { size_bytes: true } }),
    client.backup.count({ where: { status: "running" } }),
    client.job.findUnique({ where: { name: BACKUP_JOB_NAME } }),
    readIntervalOverrides(client),
  ]);
  const intervalSeconds = overrides[BACKUP_JOB_NAME] ?? Math.round(config.intervalHours * 3600);

  let nextScheduled: string | null = null;
  if (job) nextScheduled = job.enabled ? job.next_run_at.toISOString() : null;
  else if (lastAttempt) nextScheduled = new Date(lastAttempt.started_at.getTime() + intervalSeconds * 1000).toISOString();

  const encryptionConfigured = !!config.encryptionKey;
  const encrypted = newest ? newest.encrypted : encryptionConfigured;
  const warnings: string[] = [];
  if (!encryptionConfigured) warnings.push("BACKUP_ENCRYPTION_KEY is not set: backups are written unencrypted");
  else if (newest && !newest.encrypted)
    warnings.push("The newest backup is not encrypted (it was written before BACKUP_ENCRYPTION_KEY was set)");
  if (newest?.error) warnings.push(newest.error);

  return {
    last_backup: newest?.finished_at?.toISOString() ?? null,
    backup_count: kept._count._all,
    backup_size_mb: mb(newest?.size_bytes ?? 0),
    status: !lastAttempt ? "never_run" : lastAttempt.status === "failed" ? "failed" : "success",
    next_scheduled: nextScheduled,
    running: running > 0,
    total_size_mb: mb(kept._sum.size_bytes ?? 0),
    last_backup_size_bytes: newest?.size_bytes ?? null,
    last_error: lastAttempt?.status === "failed" ? lastAttempt.error : null,
    encrypted,
    encryption_configured: encryptionConfigured,
    upload_configured: !!config.uploadDir,
    interval_hours: Math.round((intervalSeconds / 3600) * 100) / 100,
    warnings,
  };
}

export const listBackupsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  status: z.enum(["running", "completed", "failed", "deleted"]).optional(),
});

/** Every backup row, newest first (deleted and failed ones too: the history). */
export async function listBackups(client: Db, query: z.output<typeof listBackupsQuery>): Promise<{ backups: BackupView[]; total: number }> {
  const where = query.status ? { status: query.status } : {};
  const [rows, total] = await Promise.all([
    client.backup.findMany({ where, orderBy: [{ started_at: "desc" }, { id: "desc" }], take: query.limit }),
    client.backup.count({ where }),
  ]);
  return { backups: rows.map(toBackupView), total };
}
