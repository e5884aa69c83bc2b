import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { ApiError, conflict } from "@/lib/http/errors";
import { runBackup } from "@/lib/domain/backups/run-backup";
import { toBackupView } from "@/lib/domain/backups/backup-view";
import { backupRunResponseSchema } from "@/lib/domain/backups/backup-response";

/**
 * Runs one backup now (admin; an admin API key may call it, e.g. from a deploy script) and answers
 * when it is written: 201 `{backup}`; 409 while another backup runs; 500 `backup_failed` with the
 * failed row in `details.backup`.
 */
export const POST = route(
  { response: backupRunResponseSchema, status: 201, auth: "key|session", role: "admin", body: z.strictObject({}) },
  async ({ ctx }) => {
    const result = await runBackup(db, { trigger: "manual", actor: ctx });
    if (result.status === "skipped") throw conflict(result.reason, { running: toBackupView(result.running) }, "backup_running");
    if (result.status === "failed")
      throw new ApiError(500, "backup_failed", `Backup failed: ${result.error}`, { backup: toBackupView(result.backup) });
    return json({ backup: toBackupView(result.backup), timings: result.timings, retention: result.retention }, { status: 201 });
  },
);
