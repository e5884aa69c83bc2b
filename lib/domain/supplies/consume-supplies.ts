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
