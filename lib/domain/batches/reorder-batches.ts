import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { badRequest } from "@/lib/http/errors";
import type { ReorderResponse } from "@/lib/domain/batches/batch-response";

export const reorderBatchesSchema = z.strictObject({
  batch_ids: z.array(z.string().min(1).max(100)).max(5000).default([]),
});

/**
 * Sets display_order = position (1-based) for the listed batches, all or nothing: an unknown or
 * repeated id refuses the whole list.
 */
export async function reorderBatches(ctx: ActorContext, batchIds: string[]): Promise<ReorderResponse> {
  if (batchIds.length === 0) throw badRequest("No batch IDs provided", undefined, "no_batch_ids");
  if (new Set(batchIds).size !== batchIds.length) throw badRequest("Batch IDs must not repeat", undefined, "duplicate_batch_ids");
  return mutate(ctx, async (m) => {
    const rows = await m.tx.batch.findMany({ where: { id: { in: batchIds } }, select: { id: true, strain: true, display_order: true } });
    if (rows.length !== batchIds.length) {
      const known = new Set(rows.map((r) => r.id));
      throw badRequest("Unknown batch IDs", { unknown: batchIds.filter((id) => !known.has(id)) }, "unknown_batch_ids");
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [index, id] of batchIds.entries()) {
      const row = byId.get(id)!;
      if (row.display_order === index + 1) continue;
      await m.tx.batch.update({ where: { id }, data: { display_order: index + 1 } });
      await m.audit({ entity: "batch", entityId: id, label: row.strain, before: row, after: { display_order: index + 1 } });
    }
    await m.emit("batch.reordered", { batch_ids: batchIds });
    return { status: "success" as const };
  });
}
