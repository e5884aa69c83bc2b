import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { legacyTimestampOf } from "@/lib/domain/legacy-import/legacy-timestamp";

/**
 * Newest audit timestamp of an entity kind (`GET /api/batches/last-updated` → batches), with a
 * strong ETag. Memoised per database version: a poll when nothing changed costs no query. After a
 * switch-over, an imported newest row answers with its legacy text (legacy-timestamp.ts).
 */
export function lastAuditUpdate(entity: string): Promise<{ timestamp: string | null; etag: string }> {
  return memoByDataVersion(`audit-last:${entity}`, async () => {
    const row = await db.auditLog.findFirst({ where: { entity }, orderBy: { id: "desc" }, select: { id: true, at: true, actor: true } });
    const legacy = row && entity === "batch" ? await legacyTimestampOf(db, ["audit_log", "audit_json"], row) : null;
    return {
      timestamp: row ? (legacy ?? row.at.toISOString()) : null,
      etag: `"${entity}-${row ? row.id : 0}"`,
    };
  });
}
