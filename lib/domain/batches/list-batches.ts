import { db } from "@/lib/db/client";
import { daysInStageChangesAt, serializeBatch, type BatchJson } from "@/lib/domain/batches/serialize-batch";

export interface BatchList {
  batches: BatchJson[];
  /**
   * Until when this list stays right without a database change: the first instant a batch's
   * `days_in_stage` (a count of 24-hour periods from its own stage entry) ticks over. Null when
   * the list is empty.
   */
  validUntil: Date | null;
}

/**
 * Active (or archived) batches in display order in the contract's shape (`GET /api/data`,
 * `GET /api/archive`), with how long the answer stays correct — the routes serve it from a cache
 * of encoded bytes (lib/http/cached-json.ts) that every tablet and ApexAPI poll.
 */
export async function listBatches(options: { archived: boolean; includeHistory: boolean }, now = new Date()): Promise<BatchList> {
  const rows = await db.batch.findMany({
    where: { archived: options.archived },
    orderBy: options.archived ? [{ archived_at: "desc" }, { created_at: "desc" }] : [{ display_order: "asc" }, { created_at: "asc" }],
  });
  let validUntil: Date | null = null;
  for (const b of rows) {
    const next = daysInStageChangesAt(b.stage_entered_at, now);
    if (!validUntil || next < validUntil) validUntil = next;
  }
  return { batches: rows.map((b) => serializeBatch(b, { includeHistory: options.includeHistory, now })), validUntil };
}

/** The cache key of a list (one per archived × history variant). */
export function batchListKey(options: { archived: boolean; includeHistory: boolean }): string {
  return `batches:${options.archived ? "archived" : "active"}:${options.includeHistory ? "h" : "-"}`;
}
