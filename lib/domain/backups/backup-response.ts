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

/** A backup row as the admin API shows it (lib/domain/backups/backup-view.ts; admins only: it has server paths). */
export const backupViewSchema = z.object({
  id: z.string(),
  file_name: z.string(),
  path: z.string(),
  status: z.enum(["running", "completed", "failed", "deleted"]),
  trigger: z.string(),
  size_bytes: z.number().int().nullable(),
  db_bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  encrypted: z.boolean(),
  uploaded_to: z.string().nullable(),
  error: z.string().nullable(),
  started_at: isoDateTime,
  finished_at: isoDateTime.nullable(),
  deleted_at: isoDateTime.nullable(),
});
export type BackupViewResponse = z.infer<typeof backupViewSchema>;

/** GET /api/admin/backups: newest first; `total` counts every row matching the filter. */
export const backupListResponseSchema = z.object({ backups: z.array(backupViewSchema), total: z.number().int() });
export type BackupListResponse = z.infer<typeof backupListResponseSchema>;

/** POST /api/backup (201): the finished backup, how long each step took, and what retention removed (null when it failed). */
export const backupRunResponseSchema = z.object({
  backup: backupViewSchema,
  timings: z.object({ copy_ms: z.number(), compress_ms: z.number(), encrypt_ms: z.number(), upload_ms: z.number(), total_ms: z.number() }),
  retention: z
    .object({
      kept: z.number().int(),
      deleted: z.array(z.object({ backup_id: z.string(), file: z.string() })),
      files_removed: z.number().int(),
    })
    .nullable(),
});
