import { z } from "zod";
import { db } from "@/lib/db/client";
import type { FinishedGoodHistoryResponse } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * `GET /api/finished-goods/history`: the newest `limit` history rows of every package (default 100,
 * at most 1000), newest first, `{history:[{metrc_number, timestamp, change_type, current_grams,
 * grams_ordered, grams_packed, status, details}], total}` (+ id, grams_changed, grams_fulfilled,
 * actor, reason); `total` = rows returned, as the existing system counted them.
 */
export const listHistoryQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(100)
    .transform((n) => Math.min(n, 1000)),
});
export type ListHistoryQuery = z.output<typeof listHistoryQuery>;

export async function listHistory(query: ListHistoryQuery): Promise<FinishedGoodHistoryResponse> {
  const rows = await db.finishedGoodHistory.findMany({ orderBy: { id: "desc" }, take: query.limit });
  const history = rows.map((r) => ({
    id: r.id,
    metrc_number: r.metrc_number,
    timestamp: r.timestamp.toISOString(),
    change_type: r.change_type,
    grams_changed: r.grams_changed,
    current_grams: r.current_grams,
    grams_ordered: r.grams_ordered,
    grams_packed: r.grams_packed,
    grams_fulfilled: r.grams_fulfilled,
    status: r.status,
    // Always an object: writeHistory stores `{source, delta, …}`.
    details: (r.details ?? {}) as Record<string, unknown>,
    actor: r.actor,
    reason: r.reason,
  }));
  return { history, total: history.length };
}
