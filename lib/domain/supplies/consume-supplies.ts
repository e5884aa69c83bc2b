import type { Mutation } from "@/lib/db/mutate";
import type { Supply } from "@/lib/generated/prisma/client";
import { isLow, splitUnits, totalUnits } from "@/lib/domain/supplies/stock-math";
import { lowStockPayload, reconcileDismissal } from "@/lib/domain/supplies/dismissal";
import { supplyEventPayload } from "@/lib/domain/supplies/supply-stock";

/**
 * Supply stock is boxes + loose units. Consumption opens boxes as needed; stock never goes below
 * zero (production is not blocked by a shelf count that is off — the usage row still records
 * what was used, so the next physical count corrects it).
 */

export { isLow, splitUnits, totalUnits };

export interface Consumption {
  supply: Supply;
  units: number;
}

/**
 * Takes `units` from a supply inside the caller's mutation: usage row, new stock, audit,
 * `supply.updated`, and `supply.low_stock` when this change crosses the threshold or a dismissed
 * alert returns.
 */
export async function consumeSupply(
  m: Mutation,
  supply: Supply,
  units: number,
  usage: { size: string; batch_id?: string | null; reason: string },
): Promise<Supply> {
  if (units <= 0) return supply;
  const next = splitUnits(totalUnits(supply) - units, supply.units_per_box);
  let updated = await m.tx.supply.update({ where: { id: supply.id }, data: { ...next, last_updated: m.now } });
  await m.tx.inventoryUsage.create({
    data: { supply_id: supply.id, size: usage.size, units_used: units, batch_id: usage.batch_id ?? null, reason: usage.reason, at: m.now },
  });
  await m.audit({ entity: "supply", entityId: supply.id, label: supply.name, before: supply, after: next });
  // A dismissed alert returns once the stock is a further full box down (dismissal.ts).
  const reconciled = await reconcileDismissal(m, updated);
  updated = reconciled.supply;
  await m.emit("supply.updated", supplyEventPayload(updated));
  if ((isLow(updated) && !isLow(supply)) || reconciled.returned) {
    await m.emit("supply.low_stock", lowStockPayload(updated));
  }
  return updated;
}

/** The batch's bagging counters that make packs, by the BOM target of one pack. */
export const packCounters = { pack_1: "packaged_singles", pack_6: "packaged_6_packs", pack_12: "packaged_12_packs" } as const;
type PackCounts = Record<(typeof packCounters)[keyof typeof packCounters], number>;

/**
 * Packing (SPEC §2 "counts and packing deduct supplies in the same transaction"): the batch's
 * bagging counters are where pack units are produced (`…/pack` moves grams, not packs of a size).
 * When a counter rises, the supplies whose bill of materials names that pack (`pack_1`, `pack_6`,
 * `pack_12`: boxes, labels, bags…) are consumed, ⌈quantity × new packs⌉ each, in the caller's
 * transaction. Like papers, a short supply never blocks packing: stock stops at 0 and the
 * `supply.low_stock` alert fires (consumeSupply). A counter lowered is a correction and returns
 * nothing.
 */
export async function consumeForPacks(m: Mutation, batchId: string, before: PackCounts, after: PackCounts): Promise<void> {
  const made = (Object.entries(packCounters) as [keyof typeof packCounters, keyof PackCounts][])
    .map(([target, counter]) => ({ target, packs: after[counter] - before[counter] }))
    .filter((p) => p.packs > 0);
  if (made.length === 0) return;
  const bom = await m.tx.bomItem.findMany({ where: { applies_to: { in: made.map((p) => p.target) } }, orderBy: { id: "asc" } });
  // One supply may serve several pack sizes: consume the sum once, from its current stock.
  const perSupply = new Map<string, { units: number; size: string }>();
  for (const item of bom) {
    const packs = made.find((p) => p.target === item.applies_to)!.packs;
    const entry = perSupply.get(item.supply_id) ?? { units: 0, size: item.applies_to };
    entry.units += Math.ceil(item.quantity * packs);
    perSupply.set(item.supply_id, entry);
  }
  for (const [supplyId, { units, size }] of perSupply) {
    const supply = await m.tx.supply.findUniqueOrThrow({ where: { id: supplyId } });
    await consumeSupply(m, supply, units, { size, batch_id: batchId, reason: "bom" });
  }
}
