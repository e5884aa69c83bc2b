import { route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { listBackups, listBackupsQuery } from "@/lib/domain/backups/backup-status";
import { backupListResponseSchema } from "@/lib/domain/backups/backup-response";

/** Backup history (admin), newest first: `{backups: [...], total}`; `?status=` and `?limit=` (≤ 500). */
export const GET = route(
  { response: backupListResponseSchema, auth: "session", role: "admin", query: listBackupsQuery },
  async ({ query }) => listBackups(db, query),
);
