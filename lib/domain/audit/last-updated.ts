import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";

/**
 * Newest audit timestamp of an entity kind (`GET /api/batches/last-updated` → batches), with a
 * strong ETag. Memoised per database version: a poll when nothing changed costs no query.
 */
export function lastAuditUpdate(entity: string): Promise<{ timestamp: string | null; etag: string }> {
  return memoByDataVersion(`audit-last:${entity}`, async () => {
    const row = await db.auditLog.findFirst({ where: { entity }, orderBy: { id: "desc" }, select: { id: true, at: true } });
    return {
      timestamp: row ? row.at.toISOString() : null,
      etag: `"${entity}-${row ? row.id : 0}"`,
    };
  });
}
