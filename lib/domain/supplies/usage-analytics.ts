import type { Tx } from "@/lib/db/client";
import type { Supply } from "@/lib/generated/prisma/client";
import { addDays, dateKey, type Zone } from "@/lib/domain/batches/rate/working-clock";
import { totalUnits } from "@/lib/domain/supplies/stock-math";

/**
 * Days remaining of a supply, from its usage (InventoryUsage rows, written as counts consume it).
 *
 *   average_daily_usage      = units used in the window ÷ production days in the window
 *   predicted_days_remaining = current stock ÷ average_daily_usage   (production days)
 *
 * The window is the last 14 calendar days including today (the facility's zone). A *production
 * day* is a day on which something was produced (a count went up, or a supply was consumed).
 * Days without production — weekends, a week off, a holiday — are left out of the divisor, so a
 * quiet week does not make the next prediction look twice as long (a pain point of the old
 * "Days Remaining"). The result is therefore in production days. No usage of the supply in the
 * window → both are null (nothing to predict from).
 */

export const USAGE_WINDOW_DAYS = 14;

export interface UsageAnalytics {
  average_daily_usage: number | null;
  predicted_days_remaining: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Pure: the two figures from the units used in the window and the number of production days. */
export function usageAnalytics(stock: number, unitsUsed: number, productionDays: number): UsageAnalytics {
  if (unitsUsed <= 0 || productionDays <= 0) return { average_daily_usage: null, predicted_days_remaining: null };
  const average = unitsUsed / productionDays;
  return { average_daily_usage: round1(average), predicted_days_remaining: round1(Math.max(0, stock) / average) };
}

/** Start of the window: local midnight `USAGE_WINDOW_DAYS - 1` days before today. */
export function windowStart(now: Date, zone: Zone, days = USAGE_WINDOW_DAYS): Date {
  return zone.at(addDays(zone.civil(now), -(days - 1)), 0);
}

export interface UsageWindow {
  /** Distinct production days in the window. */
  production_days: number;
  /** Units used per supply id in the window. */
  unitsBySupply: Map<string, number>;
  /** Paper usage rows without a supply id (imported history), per size. */
  unattributedPaperBySize: Map<string, number>;
}

/** Loads the window's usage and production days (two small indexed queries). */
export async function loadUsageWindow(tx: Pick<Tx, "inventoryUsage" | "countEntry">, now: Date, zone: Zone): Promise<UsageWindow> {
  const since = windowStart(now, zone);
  const [usage, counts] = await Promise.all([
    tx.inventoryUsage.findMany({
      where: { at: { gte: since, lte: now } },
      select: { supply_id: true, size: true, units_used: true, reason: true, at: true },
    }),
    tx.countEntry.findMany({ where: { at: { gte: since, lte: now }, delta: { gt: 0 } }, select: { at: true } }),
  ]);
  const days = new Set<string>();
  const unitsBySupply = new Map<string, number>();
  const unattributedPaperBySize = new Map<string, number>();
  for (const row of usage) {
    if (row.units_used <= 0) continue;
    days.add(dateKey(zone.civil(row.at)));
    if (row.supply_id) unitsBySupply.set(row.supply_id, (unitsBySupply.get(row.supply_id) ?? 0) + row.units_used);
    else if (row.reason === "counts") unattributedPaperBySize.set(row.size, (unattributedPaperBySize.get(row.size) ?? 0) + row.units_used);
  }
  for (const row of counts) days.add(dateKey(zone.civil(row.at)));
  return { production_days: days.size, unitsBySupply, unattributedPaperBySize };
}

export function analyticsFor(
  s: Pick<Supply, "id" | "kind" | "size" | "boxes" | "individual_units" | "units_per_box">,
  w: UsageWindow,
): UsageAnalytics {
  const used = (s.id ? (w.unitsBySupply.get(s.id) ?? 0) : 0) + (s.kind === "paper" ? (w.unattributedPaperBySize.get(s.size) ?? 0) : 0);
  return usageAnalytics(totalUnits(s), used, w.production_days);
}
