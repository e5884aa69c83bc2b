import type { Mutation } from "@/lib/db/mutate";
import type { Supply } from "@/lib/generated/prisma/client";
import { isLow, totalUnits } from "@/lib/domain/supplies/stock-math";
import { lowStockPayload, reconcileDismissal } from "@/lib/domain/supplies/dismissal";
import { PAPER_DEFAULTS, PAPER_KIND, type PaperSize } from "@/lib/domain/supplies/paper-sizes";

/**
 * Changes to a supply row other than consumption: a physical count, new thresholds or box size,
 * names. Each writes audit rows and `supply.updated`, `supply.low_stock` when the change takes the
 * stock below its threshold, and re-checks a dismissed alert (rules: dismissal.ts).
 */

export type SupplyPatch = Partial<Pick<Supply, "boxes" | "individual_units" | "units_per_box" | "low_threshold_boxes" | "name" | "unit">>;

const AUDITED = ["name", "unit", "boxes", "individual_units", "units_per_box", "low_threshold_boxes", "alert_dismissed_at"] as const;
function auditView(s: Supply): Record<string, unknown> {
  return Object.fromEntries(AUDITED.map((f) => [f, s[f]]));
}

export function supplyEventPayload(s: Supply) {
  return {
    supply_id: s.id,
    kind: s.kind,
    size: s.size || null,
    boxes: s.boxes,
    individual_units: s.individual_units,
    total_units: totalUnits(s),
  };
}

/** The paper row of a size, created with the contract defaults (and an empty shelf) when missing (audited, `supply.updated`). */
export async function ensurePaperSupply(m: Mutation, size: PaperSize): Promise<Supply> {
  const existing = await m.tx.supply.findUnique({ where: { kind_size: { kind: PAPER_KIND, size } } });
  if (existing) return existing;
  const created = await m.tx.supply.create({
    data: { kind: PAPER_KIND, size, ...PAPER_DEFAULTS[size], boxes: 0, individual_units: 0, last_updated: m.now },
  });
  await m.audit({ entity: "supply", entityId: created.id, label: created.name, before: null, after: auditView(created) });
  await m.emit("supply.updated", supplyEventPayload(created));
  return created;
}

/**
 * Applies a patch (a physical count, thresholds, box size, names) to one supply inside the
 * caller's mutation. Always emits `supply.updated`; `supply.low_stock` when the stock goes below
 * the threshold with this change, or when a dismissed alert returns.
 */
export async function applySupplyPatch(m: Mutation, before: Supply, patch: SupplyPatch): Promise<Supply> {
  const data = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SupplyPatch;
  const stockChanged = data.boxes !== undefined || data.individual_units !== undefined;
  let after = await m.tx.supply.update({ where: { id: before.id }, data: { ...data, ...(stockChanged ? { last_updated: m.now } : {}) } });
  await m.audit({ entity: "supply", entityId: before.id, label: after.name, before: auditView(before), after: auditView(after) });
  const { supply, returned } = await reconcileDismissal(m, after);
  after = supply;
  await m.emit("supply.updated", supplyEventPayload(after));
  if ((isLow(after) && !isLow(before)) || returned) await m.emit("supply.low_stock", lowStockPayload(after));
  return after;
}
