import fsp from "node:fs/promises";
import { backupSubscriberConfigSchema } from "@/lib/domain/backups/backup-subscriber-config";
import { db } from "@/lib/db/client";
import type { HandlerInput, HandlerResult } from "@/lib/events/delivery/handlers";
import { readBackupConfig } from "@/lib/domain/backups/config";
import { runBackup } from "@/lib/domain/backups/run-backup";

/**
 * The `backup` subscriber kind: a matching event triggers a backup (e.g. after `import.completed`
 * or `batch.archived`), recorded with trigger `subscriber`. Config (optional):
 *   `min_interval_minutes` — no new backup when one completed less than this long ago (ok, not
 *   retried), so a burst of events makes one backup, not one each. Default 0.
 * A backup already running makes the delivery fail and retry later (with back-off), so the state
 * after the event still gets backed up. `backup.*` events are never acted on: a subscriber on `*`
 * would otherwise back up after every backup. A test ping checks that BACKUP_DIR is writable.
 */

export { backupSubscriberConfigSchema };

export async function backupHandler({ subscriber, envelope }: HandlerInput): Promise<HandlerResult> {
  const parsed = backupSubscriberConfigSchema.safeParse(subscriber.config ?? {});
  if (!parsed.success) return { ok: false, error: "Invalid backup config: min_interval_minutes must be a number of minutes (0–10080)" };
  const config = readBackupConfig();

  if (envelope.type.startsWith("backup.")) {
    return { ok: true, responseExcerpt: `Ignored ${envelope.type}: a backup event never triggers another backup` };
  }
  if (envelope.type === "test.ping") {
    try {
      await fsp.mkdir(config.dir, { recursive: true, mode: 0o700 });
      await fsp.access(config.dir, fsp.constants.W_OK);
      return {
        ok: true,
        responseExcerpt: `Backup folder ${config.dir} is writable${config.encryptionKey ? "" : "; BACKUP_ENCRYPTION_KEY is not set (backups are unencrypted)"}`,
      };
    } catch (err) {
      return { ok: false, error: `Backup folder ${config.dir} is not usable: ${(err as Error).message}` };
    }
  }

  const minutes = parsed.data.min_interval_minutes ?? 0;
  if (minutes > 0) {
    const recent = await db.backup.findFirst({
      where: { status: "completed", finished_at: { gte: new Date(Date.now() - minutes * 60_000) } },
      orderBy: { finished_at: "desc" },
    });
    if (recent) return { ok: true, responseExcerpt: `Skipped: ${recent.file_name} completed less than ${minutes} min ago` };
  }

  const result = await runBackup(db, {
    trigger: "subscriber",
    config,
    actor: { actor: `subscriber:${subscriber.name}`, source: "worker", traceId: envelope.metadata.traceId },
  });
  if (result.status === "completed") {
    return {
      ok: true,
      responseExcerpt: `Backup ${result.backup.file_name} written (${result.backup.size_bytes} bytes, ${result.timings.total_ms} ms)`,
    };
  }
  if (result.status === "skipped") return { ok: false, error: `${result.reason}; retrying later` };
  return { ok: false, error: `Backup failed: ${result.error}` };
}
