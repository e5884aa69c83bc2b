import type { JobDefinition } from "@/lib/jobs/job";
import { readBackupConfig } from "@/lib/domain/backups/config";
import { BACKUP_JOB_NAME } from "@/lib/domain/backups/backup-status";
import { runBackup } from "@/lib/domain/backups/run-backup";

/**
 * The scheduled backup (SPEC §5): every BACKUP_INTERVAL_HOURS (default 6; an admin override on
 * the Jobs page wins). A failed backup fails the run (job.failed beside backup.failed); another
 * backup already running (manual, subscriber, another worker) is a completed run that says so.
 */
export const backupsJob: JobDefinition = {
  name: BACKUP_JOB_NAME,
  description: "Online backup (SQLite backup API, or pg_dump on PostgreSQL; gzip, AES-256-GCM with BACKUP_ENCRYPTION_KEY) with retention",
  intervalSeconds: () => Math.round(readBackupConfig().intervalHours * 3600),
  leaseMs: 5 * 60_000,
  run: async ({ ctx, client }) => {
    const result = await runBackup(client, { trigger: "scheduled", actor: ctx });
    if (result.status === "failed") throw new Error(result.error);
    if (result.status === "skipped") return { skipped: result.reason };
    const b = result.backup;
    return {
      file: b.file_name,
      size_bytes: b.size_bytes,
      db_bytes: b.db_bytes,
      encrypted: b.encrypted,
      uploaded_to: b.uploaded_to,
      upload_error: result.uploadError,
      pruned: result.retention?.deleted.map((d) => d.file) ?? [],
      ...result.timings,
    };
  },
};
