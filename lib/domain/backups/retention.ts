import fsp from "node:fs/promises";
import path from "node:path";
import type { ActorContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { logger } from "@/lib/log";
import type { BackupConfig } from "@/lib/domain/backups/config";

/**
 * Retention, after every completed backup: keep the BACKUP_KEEP newest completed backups, plus
 * the newest backup of each of the last BACKUP_KEEP_DAILY calendar days (server time, today
 * included); every other completed backup is marked `deleted` (audit + `backup.pruned`) and then
 * its file — and its copy in BACKUP_UPLOAD_DIR, which follows the same rule — is removed.
 * Rows first, files after the commit: a file that could not be removed (busy share) is retried by
 * the next run, which also removes files of rows deleted in the last RETRY_WINDOW_MS.
 */

const RETRY_WINDOW_MS = 7 * 24 * 3_600_000;

export interface RetentionResult {
  kept: number;
  deleted: { backup_id: string; file: string }[];
  files_removed: number;
}

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** Ids of the backups to keep (input: completed backups, any order). */
export function selectKept<T extends { id: string; started_at: Date }>(
  backups: T[],
  keep: number,
  keepDaily: number,
  now: Date,
): Set<string> {
  const newest = [...backups].sort((a, b) => b.started_at.getTime() - a.started_at.getTime() || b.id.localeCompare(a.id));
  const kept = new Set(newest.slice(0, Math.max(1, keep)).map((b) => b.id));
  const days = new Set<string>();
  for (let i = 0; i < keepDaily; i++) {
    const d = new Date(now);
    d.setDate(d.getDate() - i); // calendar days: right across DST changes
    days.add(dayKey(d));
  }
  const covered = new Set<string>();
  for (const b of newest) {
    const key = dayKey(b.started_at);
    if (days.has(key) && !covered.has(key)) {
      covered.add(key);
      kept.add(b.id);
    }
  }
  return kept;
}

export async function applyRetention(
  client: Db,
  actor: ActorContext,
  options: { config: BackupConfig; now?: Date },
): Promise<RetentionResult> {
  const { config } = options;
  const now = options.now ?? new Date();
  const completed = await client.backup.findMany({ where: { status: "completed" } });
  const kept = selectKept(completed, config.keep, config.keepDaily, now);
  const doomed = completed.filter((b) => !kept.has(b.id));

  const deleted: RetentionResult["deleted"] = [];
  if (doomed.length > 0) {
    await mutate(
      actor,
      async (m) => {
        for (const b of doomed) {
          // Conditional: a concurrent retention run (another process) deletes each row once.
          const { count } = await m.tx.backup.updateMany({
            where: { id: b.id, status: "completed" },
            data: { status: "deleted", deleted_at: m.now },
          });
          if (count === 0) continue;
          await m.audit({
            entity: "backup",
            entityId: b.id,
            label: b.file_name,
            before: { status: "completed" },
            after: { status: "deleted" },
          });
          deleted.push({ backup_id: b.id, file: b.file_name });
        }
        await m.emit("backup.pruned", { deleted, kept: kept.size });
      },
      client,
    );
  }

  const recent = await client.backup.findMany({
    where: { status: "deleted", deleted_at: { gte: new Date(now.getTime() - RETRY_WINDOW_MS) } },
  });
  let removed = 0;
  for (const b of recent) {
    const copies = [b.path, b.uploaded_to ?? (config.uploadDir ? path.join(config.uploadDir, b.file_name) : null)];
    for (const file of copies) {
      if (!file) continue;
      try {
        await fsp.unlink(file);
        removed++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT")
          logger.warn({ err, file }, "could not remove a pruned backup file; retried next run");
      }
    }
  }
  if (deleted.length > 0) logger.info({ deleted: deleted.map((d) => d.file), kept: kept.size }, "old backups pruned");
  return { kept: kept.size, deleted, files_removed: removed };
}
