import { strainKey } from "@/lib/domain/strains/strain-key";
import type { SalesRow } from "@/lib/domain/recommendations/sales-csv";

/**
 * Per-strain production recommendations from store sell-through (README "Store sales CSV"):
 *
 *   avg_sold_per_day    = the row's average daily sales, or units_sold ÷ period_days
 *   days_until_stockout = total_inventory ÷ avg_sold_per_day     (null when nothing sells)
 *   urgency             = critical ≤ 3 days · high ≤ 7 · medium ≤ 14 · low otherwise (or no sales)
 *   priority_score      = 70 × time + 30 × velocity, 0–100, one decimal, where
 *                         time     = clamp(1 − days_until_stockout ÷ 30, 0, 1)  (0 when no sales)
 *                         velocity = avg_sold_per_day ÷ the highest avg_sold_per_day of the list
 * so a strain about to run out ranks first, and among equally urgent ones the faster seller.
 * Lists: `combined` (per strain over every store; strain names matched with strainKey, the first
 * spelling kept) and `stores` (per store × strain, velocity relative to that store's best seller).
 * Rows are sorted by priority_score (highest first), then strain.
 */

export const URGENCY_DAYS = { critical: 3, high: 7, medium: 14 } as const;
export const PRIORITY_HORIZON_DAYS = 30;
export const PRIORITY_WEIGHTS = { time: 70, velocity: 30 } as const;
export const urgencies = ["critical", "high", "medium", "low"] as const;
export type Urgency = (typeof urgencies)[number];

export interface Recommendation {
  strain: string;
  total_inventory: number;
  avg_sold_per_day: number;
  days_until_stockout: number | null;
  urgency: Urgency;
  priority_score: number;
}
export interface CombinedRecommendation extends Recommendation {
  store_count: number;
}
export interface StoreRecommendation extends Recommendation {
  store: string;
}
export interface SnapshotData {
  combined: CombinedRecommendation[];
  stores: StoreRecommendation[];
}

const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function daysUntilStockout(inventory: number, avgPerDay: number): number | null {
  if (!(avgPerDay > 0)) return null;
  return round(Math.max(0, inventory) / avgPerDay, 1);
}

export function urgencyFor(days: number | null): Urgency {
  if (days === null) return "low";
  if (days <= URGENCY_DAYS.critical) return "critical";
  if (days <= URGENCY_DAYS.high) return "high";
  if (days <= URGENCY_DAYS.medium) return "medium";
  return "low";
}

export function priorityScore(days: number | null, avgPerDay: number, maxAvgPerDay: number): number {
  const time = days === null ? 0 : Math.min(1, Math.max(0, 1 - days / PRIORITY_HORIZON_DAYS));
  const velocity = maxAvgPerDay > 0 ? Math.min(1, Math.max(0, avgPerDay / maxAvgPerDay)) : 0;
  return round(PRIORITY_WEIGHTS.time * time + PRIORITY_WEIGHTS.velocity * velocity, 1);
}

const rankOrder = (a: Recommendation, b: Recommendation) => b.priority_score - a.priority_score || a.strain.localeCompare(b.strain);

/** Adds days, urgency and priority to aggregated totals (velocity relative to this list). */
function finish<T extends { strain: string; total_inventory: number; avg_sold_per_day: number }>(items: T[]): (T & Recommendation)[] {
  const maxAvg = Math.max(0, ...items.map((i) => i.avg_sold_per_day));
  return items
    .map((i) => {
      const days = daysUntilStockout(i.total_inventory, i.avg_sold_per_day);
      return {
        ...i,
        total_inventory: round(i.total_inventory, 2),
        avg_sold_per_day: round(i.avg_sold_per_day, 2),
        days_until_stockout: days,
        urgency: urgencyFor(days),
        priority_score: priorityScore(days, i.avg_sold_per_day, maxAvg),
      };
    })
    .sort(rankOrder);
}

/** The snapshot's data from every parsed row of every file. */
export function computeRecommendations(rows: SalesRow[]): SnapshotData & { store_names: string[] } {
  const byStrain = new Map<string, { strain: string; total_inventory: number; avg_sold_per_day: number; stores: Set<string> }>();
  const byStore = new Map<
    string,
    { store: string; strains: Map<string, { store: string; strain: string; total_inventory: number; avg_sold_per_day: number }> }
  >();
  for (const r of rows) {
    const sKey = strainKey(r.strain);
    const stKey = strainKey(r.store);
    const c = byStrain.get(sKey) ?? { strain: r.strain.trim(), total_inventory: 0, avg_sold_per_day: 0, stores: new Set<string>() };
    c.total_inventory += r.inventory;
    c.avg_sold_per_day += r.avg_daily_sales;
    c.stores.add(stKey);
    byStrain.set(sKey, c);
    const store = byStore.get(stKey) ?? { store: r.store.trim(), strains: new Map() };
    const e = store.strains.get(sKey) ?? { store: store.store, strain: c.strain, total_inventory: 0, avg_sold_per_day: 0 };
    e.total_inventory += r.inventory;
    e.avg_sold_per_day += r.avg_daily_sales;
    store.strains.set(sKey, e);
    byStore.set(stKey, store);
  }
  const combined = finish([...byStrain.values()].map(({ stores, ...c }) => ({ ...c, store_count: stores.size })));
  const storeList = [...byStore.values()].sort((a, b) => a.store.localeCompare(b.store));
  const stores = storeList.flatMap((s) => finish([...s.strains.values()]));
  return { combined, stores, store_names: storeList.map((s) => s.store) };
}
