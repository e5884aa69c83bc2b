import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { serializeBatch } from "@/lib/domain/batches/serialize-batch";

/**
 * Active (or archived) batches in display order, serialised to the contract's JSON — as a string,
 * memoised per database version: ApexAPI and every tablet poll this, and between two changes
 * they all get the same bytes without a query.
 */
export function listBatchesJson(options: { archived: boolean; includeHistory: boolean }): Promise<string> {
  const key = `batches:${options.archived ? "archived" : "active"}:${options.includeHistory ? "h" : "-"}`;
  return memoByDataVersion(key, async () => {
    const rows = await db.batch.findMany({
      where: { archived: options.archived },
      orderBy: options.archived ? [{ archived_at: "desc" }, { created_at: "desc" }] : [{ display_order: "asc" }, { created_at: "asc" }],
    });
    const now = new Date();
    return JSON.stringify(rows.map((b) => serializeBatch(b, { includeHistory: options.includeHistory, now })));
  });
}
