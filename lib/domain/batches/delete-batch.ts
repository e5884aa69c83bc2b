import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { loadBatch } from "@/lib/domain/batches/load-batch";

/** Deletes a batch and its history rows; finished goods keep their package (source link cleared). */
export async function deleteBatch(ctx: ActorContext, id: string): Promise<void> {
  await mutate(ctx, async (m) => {
    const batch = await loadBatch(m.tx, id);
    await m.tx.batch.delete({ where: { id } });
    await m.audit({ entity: "batch", entityId: id, label: batch.strain, before: batch, after: null });
    await m.emit("batch.deleted", { batch_id: id, strain: batch.strain });
  });
}
