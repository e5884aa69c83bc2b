import type { Batch } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { conflict } from "@/lib/http/errors";
import type { RecordCountsInput } from "@/lib/domain/batches/batch-schema";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { sizes, type Size } from "@/lib/domain/batches/constants";

/**
 * Records per-size counts: absolute running totals (`counts_0_5`, the contract) or additions
 * (`add_0_5`, the +25 buttons and offline replay). Each change is a timestamped CountEntry, so
 * today's counts, production history and rates are derived. The read and the write happen in one
 * write-locked transaction, so two operators saving at once never lose an update; totals never
 * go below zero.
 */
export async function recordCounts(
  ctx: ActorContext,
  id: string,
  input: RecordCountsInput,
): Promise<{ batch: Batch; deltas: Record<Size, number> }> {
  return mutate(ctx, async (m) => {
    const before = await loadBatch(m.tx, id);
    const totals = {} as Record<Size, number>;
    const deltas = {} as Record<Size, number>;
    for (const size of sizes) {
      const current = before[`counts_${size}`];
      const absolute = input[`counts_${size}`];
      const add = input[`add_${size}`];
      let next = absolute ?? current;
      if (add !== undefined) next += add;
      if (next < 0) {
        throw conflict(`Count for ${size.replace("_", ".")} g cannot go below zero (now ${current})`, {
          size,
          current,
        }, "count_below_zero");
      }
      totals[size] = next;
      deltas[size] = next - current;
    }
    const changed = sizes.filter((s) => deltas[s] !== 0);
    if (changed.length === 0) {
      await m.emit("batch.counts_changed", { batch_id: id, strain: before.strain, deltas, counts: totals });
      return { batch: before, deltas };
    }
    const batch = await m.tx.batch.update({
      where: { id },
      data: Object.fromEntries(changed.map((s) => [`counts_${s}`, totals[s]])),
    });
    await m.tx.countEntry.createMany({
      data: changed.map((s) => ({
        batch_id: id,
        size: s,
        delta: deltas[s],
        total_after: totals[s],
        actor: m.ctx.actor,
        source: m.ctx.source,
        at: m.now,
      })),
    });
    await m.audit({
      entity: "batch",
      entityId: id,
      label: before.strain,
      before,
      after: Object.fromEntries(changed.map((s) => [`counts_${s}`, totals[s]])),
    });
    await m.emit("batch.counts_changed", { batch_id: id, strain: before.strain, deltas, counts: totals });
    return { batch, deltas };
  });
}
