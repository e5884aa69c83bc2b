import { z } from "zod";

/** Response schemas of the backup routes (lib/domain/backups/). Zod only. */

const isoDateTime = z.iso.datetime();

/** GET /api/backup-status (contract fields first; lib/domain/backups/backup-status.ts says what each means). */
export const backupStatusResponseSchema = z.object({
  last_backup: isoDateTime.nullable(),
  backup_count: z.number().int(),
  backup_size_mb: z.number(),
  status: z.enum(["success", "failed", "never_run"]),
  next_scheduled: isoDateTime.nullable(),
  running: z.boolean(),
  total_size_mb: z.number(),
  last_backup_size_bytes: z.number().int().nullable(),
  last_error: z.string().nullable(),
  encrypted: z.boolean(),
  encryption_configured: z.boolean(),
  upload_configured: z.boolean(),
  interval_hours: z.number(),
  warnings: z.array(z.string()),
});
export type BackupStatusResponse = z.infer<typeof backupStatusResponseSchema>;
