import type { Mutation } from "@/lib/db/mutate";
import type { Tx } from "@/lib/db/client";
import type { Supply } from "@/lib/generated/prisma/client";
import { isLow, totalUnits } from "@/lib/domain/supplies/stock-math";

/**
 * Dismissed low-stock alerts (a pain point of the old system: they came back on every page load)
 * stay dismissed until either
 *   - the stock is replenished to the threshold or above (the dismissal is cleared), or
 *   - the stock drops one further full box (`units_per_box`) below the level it had when it was
 *     dismissed: the dismissal is cleared and the alert returns, with a new `supply.low_stock`.
 * The level at dismissal is the payload of the `supply.alert_dismissed` event written with the
 * same timestamp as `alert_dismissed_at`, so no extra column is needed.
 */

export function lowStockPayload(s: Supply) {
  return { supply_id: s.id, kind: s.kind, size: s.size || null, total_units: totalUnits(s), threshold_boxes: s.low_threshold_boxes };
}

/** Stock (total units) when the current dismissal was made; null when unknown or not dismissed. */
export async function unitsAtDismissal(tx: Pick<Tx, "event">, s: Pick<Supply, "id" | "alert_dismissed_at">): Promise<number | null> {
  if (!s.alert_dismissed_at) return null;
  const events = await tx.event.findMany({
    where: { type: "supply.alert_dismissed", created_at: s.alert_dismissed_at },
    select: { payload: true },
  });
  for (const e of events) {
    const p = e.payload as { supply_id?: string; total_units?: number };
    if (p.supply_id === s.id && typeof p.total_units === "number") return p.total_units;
  }
  return null;
}

/** Whether a dismissal still hides the alert: still low, and not a full box below the dismissed level. */
export function dismissalHolds(s: Supply, dismissedAtUnits: number | null): boolean {
  if (!s.alert_dismissed_at || !isLow(s)) return false;
  if (dismissedAtUnits === null) return true;
  return totalUnits(s) > dismissedAtUnits - s.units_per_box;
}

/**
 * After any stock or threshold change: clears a dismissal that no longer holds. Returns the
 * current row and whether the alert came back (the caller emits `supply.low_stock` once).
 */
export async function reconcileDismissal(m: Mutation, s: Supply): Promise<{ supply: Supply; returned: boolean }> {
  if (!s.alert_dismissed_at) return { supply: s, returned: false };
  if (dismissalHolds(s, await unitsAtDismissal(m.tx, s))) return { supply: s, returned: false };
  const cleared = await m.tx.supply.update({ where: { id: s.id }, data: { alert_dismissed_at: null } });
  await m.audit({
    entity: "supply",
    entityId: s.id,
    label: s.name,
    before: { alert_dismissed_at: s.alert_dismissed_at },
    after: { alert_dismissed_at: null },
  });
  return { supply: cleared, returned: isLow(cleared) };
}

/**
 * Dismisses a supply's low-stock alert at its current level. Returns false (and writes nothing)
 * when there is no alert to dismiss or it is already dismissed.
 */
export async function dismissSupplyAlert(m: Mutation, s: Supply): Promise<boolean> {
  if (!isLow(s)) return false;
  if (dismissalHolds(s, await unitsAtDismissal(m.tx, s))) return false;
  const after = await m.tx.supply.update({ where: { id: s.id }, data: { alert_dismissed_at: m.now } });
  await m.audit({
    entity: "supply",
    entityId: s.id,
    label: s.name,
    before: { alert_dismissed_at: s.alert_dismissed_at },
    after: { alert_dismissed_at: after.alert_dismissed_at },
  });
  await m.emit("supply.alert_dismissed", lowStockPayload(after));
  return true;
}
