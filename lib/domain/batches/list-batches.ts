import { db } from "@/lib/db/client";
import { cachedJsonResponse } from "@/lib/http/cached-json";
import { serializeBatch } from "@/lib/domain/batches/serialize-batch";

/**
 * Active (or archived) batches in display order in the contract's shape, as a cached response:
 * ApexAPI and every tablet poll this, and between two changes they all get the same bytes (or a
 * 304) without a query.
 */
export function listBatchesResponse(req: Request, options: { archived: boolean; includeHistory: boolean }): Promise<Response> {
  const key = `batches:${options.archived ? "archived" : "active"}:${options.includeHistory ? "h" : "-"}`;
  return cachedJsonResponse(req, key, async () => {
    const rows = await db.batch.findMany({
      where: { archived: options.archived },
      orderBy: options.archived ? [{ archived_at: "desc" }, { created_at: "desc" }] : [{ display_order: "asc" }, { created_at: "asc" }],
    });
    const now = new Date();
    return rows.map((b) => serializeBatch(b, { includeHistory: options.includeHistory, now }));
  });
}
