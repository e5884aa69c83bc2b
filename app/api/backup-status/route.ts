import { route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { backupStatus } from "@/lib/domain/backups/backup-status";
import { backupStatusResponseSchema } from "@/lib/domain/backups/backup-response";

/** `{last_backup, backup_count, backup_size_mb, status, next_scheduled, …}` (contract; fields: lib/domain/backups/backup-status.ts). */
export const GET = route({ response: backupStatusResponseSchema, contract: true, auth: "key|session", role: "viewer" }, async () =>
  backupStatus(db),
);
