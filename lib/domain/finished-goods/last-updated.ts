import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";

/**
 * `GET /api/finished-goods/last-updated`: `{timestamp}` of the newest history row (every
 * finished-goods operation writes one) with a strong ETag. Memoised per database version, so the
 * page's and ApexAPI's polls cost no query while nothing changes.
 */
export function finishedGoodsLastUpdated(): Promise<{ timestamp: string | null; etag: string }> {
  return memoByDataVersion("finished-goods:last-updated", async () => {
    const row = await db.finishedGoodHistory.findFirst({ orderBy: { id: "desc" }, select: { id: true, timestamp: true } });
    return { timestamp: row ? row.timestamp.toISOString() : null, etag: `"fg-${row ? row.id : 0}"` };
  });
}
