import type { Batch } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/context";
import { mutate, type Mutation } from "@/lib/db/mutate";
import { conflict } from "@/lib/http/errors";
import type { RecordCountsInput } from "@/lib/domain/batches/batch-schema";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { consumeSupply } from "@/lib/domain/supplies/consume-supplies";
import { refreshProductionRate } from "@/lib/domain/batches/rate/refresh-rate";

/**
 * Records per-size counts: absolute running totals (`counts_0_5`, the contract) or additions
 * (`add_0_5`, the +25 buttons and offline replay). Each change is a timestamped CountEntry, so
 * today's counts, production history and rates are derived. The read and the write happen in one
 * write-locked transaction, so two operators saving at once never lose an update; totals never
 * go below zero. Rising counts consume papers/cones of the size (and any per-unit bill of
 * materials, e.g. tips) in the same transaction — once: a count corrected down and up again does
 * not consume twice (`last_inventory_consumed_*`, as the legacy system kept it).
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
        throw conflict(
          `Count for ${size.replace("_", ".")} g cannot go below zero (now ${current})`,
          {
            size,
            current,
          },
          "count_below_zero",
        );
      }
      totals[size] = next;
      deltas[size] = next - current;
    }
    const changed = sizes.filter((s) => deltas[s] !== 0);
    if (changed.length === 0) {
      await m.emit("batch.counts_changed", { batch_id: id, strain: before.strain, deltas, counts: totals });
      return { batch: before, deltas };
    }
    const consumed = {} as Record<Size, number>;
    const data: Record<string, number> = {};
    for (const s of changed) {
      data[`counts_${s}`] = totals[s];
      const already = before[`last_inventory_consumed_${s}`];
      consumed[s] = Math.max(0, totals[s] - already);
      if (consumed[s] > 0) data[`last_inventory_consumed_${s}`] = totals[s];
    }
    const batch = await m.tx.batch.update({ where: { id }, data });
    await consumeForUnits(m, id, consumed, before.paper_size_override as Size | null);
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
    // Same transaction: the cached production rate follows the new count entries.
    return { batch: await refreshProductionRate(m, batch), deltas };
  });
}

/** Papers/cones of each size (kind "paper", or the batch's paper_size_override) and per-unit BOM items. */
async function consumeForUnits(m: Mutation, batchId: string, units: Record<Size, number>, paperOverride: Size | null): Promise<void> {
  const sizesUsed = sizes.filter((s) => (units[s] ?? 0) > 0);
  if (sizesUsed.length === 0) return;
  const paperSize = (size: Size) => paperOverride ?? size;
  const papers = await m.tx.supply.findMany({ where: { kind: "paper", size: { in: sizesUsed.map(paperSize) } } });
  const bom = await m.tx.bomItem.findMany({ where: { applies_to: { in: sizesUsed.map((s) => `unit_${s}`) } }, include: { supply: true } });
  for (const size of sizesUsed) {
    // Re-read: with an override, several sizes draw from the same paper row.
    const paper = papers.find((p) => p.size === paperSize(size));
    if (paper) {
      const current = await m.tx.supply.findUniqueOrThrow({ where: { id: paper.id } });
      await consumeSupply(m, current, units[size], { size: paperSize(size), batch_id: batchId, reason: "counts" });
    }
  }
  // One supply may serve several sizes (tips): consume the sum once, from its current stock.
  const perSupply = new Map<string, { units: number; size: string }>();
  for (const item of bom) {
    const size = item.applies_to.replace("unit_", "") as Size;
    const entry = perSupply.get(item.supply_id) ?? { units: 0, size };
    entry.units += Math.ceil(item.quantity * units[size]);
    perSupply.set(item.supply_id, entry);
  }
  for (const [supplyId, { units: n, size }] of perSupply) {
    const supply = await m.tx.supply.findUniqueOrThrow({ where: { id: supplyId } });
    await consumeSupply(m, supply, n, { size, batch_id: batchId, reason: "bom" });
  }
}
