import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";

/**
 * `GET /api/wholesale/last-updated`: `{"fingerprint": "{latest_hold_ts}|{latest_fg_history_ts}|{hold_count}"}`
 * (the legacy format; timestamps ISO, empty when there is none). Any hold created or released and
 * any finished-goods change (every one writes a history row) changes it. Memoised per database
 * version, with an ETag for 304s.
 */
export function wholesaleFingerprint(): Promise<{ fingerprint: string; etag: string }> {
  return memoByDataVersion("wholesale:last-updated", async () => {
    const [holds, history] = await Promise.all([
      db.wholesaleHold.aggregate({ _max: { created_date: true }, _count: { _all: true } }),
      db.finishedGoodHistory.aggregate({ _max: { timestamp: true } }),
    ]);
    const fingerprint = `${holds._max.created_date?.toISOString() ?? ""}|${history._max.timestamp?.toISOString() ?? ""}|${holds._count._all}`;
    return { fingerprint, etag: `"wh-${createHash("sha256").update(fingerprint).digest("hex").slice(0, 24)}"` };
  });
}
