import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { legacyTimestampOf } from "@/lib/domain/legacy-import/legacy-timestamp";

/**
 * `GET /api/finished-goods/last-updated`: `{timestamp}` of the newest history row (every
 * finished-goods operation writes one) with a strong ETag. Memoised per database version, so the
 * page's and ApexAPI's polls cost no query while nothing changes. After a switch-over, an imported
 * newest row answers with its legacy text (legacy-timestamp.ts).
 */
export function finishedGoodsLastUpdated(): Promise<{ timestamp: string | null; etag: string }> {
  return memoByDataVersion("finished-goods:last-updated", async () => {
    const row = await db.finishedGoodHistory.findFirst({ orderBy: { id: "desc" }, select: { id: true, timestamp: true, actor: true } });
    const legacy = row ? await legacyTimestampOf(db, ["finished_goods_history"], row) : null;
    return { timestamp: row ? (legacy ?? row.timestamp.toISOString()) : null, etag: `"fg-${row ? row.id : 0}"` };
  });
}
