import type { Mutation } from "@/lib/db/mutate";
import type { Supply } from "@/lib/generated/prisma/client";

/**
 * Supply stock is boxes + loose units. Consumption opens boxes as needed; stock never goes below
 * zero (production is not blocked by a shelf count that is off — the usage row still records
 * what was used, so the next physical count corrects it).
 */

export function totalUnits(s: Pick<Supply, "boxes" | "individual_units" | "units_per_box">): number {
  return s.boxes * s.units_per_box + s.individual_units;
}

export function splitUnits(total: number, unitsPerBox: number): { boxes: number; individual_units: number } {
  const t = Math.max(0, Math.round(total));
  return unitsPerBox > 0 ? { boxes: Math.floor(t / unitsPerBox), individual_units: t % unitsPerBox } : { boxes: 0, individual_units: t };
}

export function isLow(s: Pick<Supply, "boxes" | "individual_units" | "units_per_box" | "low_threshold_boxes">): boolean {
  return totalUnits(s) < s.low_threshold_boxes * s.units_per_box;
}

export interface Consumption {
  supply: Supply;
  units: number;
}

/**
 * Takes `units` from a supply inside the caller's mutation: usage row, new stock, audit,
 * `supply.updated`, and `supply.low_stock` when this change crosses the threshold.
 */
export async function consumeSupply(
  m: Mutation,
  supply: Supply,
  units: number,
  usage: { size: string; batch_id?: string | null; reason: string },
): Promise<Supply> {
  if (units <= 0) return supply;
  const next = splitUnits(totalUnits(supply) - units, supply.units_per_box);
  const updated = await m.tx.supply.update({ where: { id: supply.id }, data: { ...next, last_updated: m.now } });
  await m.tx.inventoryUsage.create({
    data: { supply_id: supply.id, size: usage.size, units_used: units, batch_id: usage.batch_id ?? null, reason: usage.reason, at: m.now },
  });
  await m.audit({ entity: "supply", entityId: supply.id, label: supply.name, before: supply, after: next });
  const event = {
    supply_id: supply.id,
    kind: supply.kind,
    size: supply.size || null,
    boxes: updated.boxes,
    individual_units: updated.individual_units,
    total_units: totalUnits(updated),
  };
  await m.emit("supply.updated", event);
  if (isLow(updated) && !isLow(supply)) {
    await m.emit("supply.low_stock", {
      supply_id: supply.id,
      kind: supply.kind,
      size: supply.size || null,
      total_units: event.total_units,
      threshold_boxes: supply.low_threshold_boxes,
    });
  }
  return updated;
}
