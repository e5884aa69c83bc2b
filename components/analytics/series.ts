import { sizes, type Size } from "@/lib/domain/batches/constants";
import type { Batch, ProductionHistoryResponse } from "@/lib/domain/batches/batch-response";
import type { FinishedGoodHistoryResponse } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * Pure figures of the analytics page, computed from the routes' responses (no route gives them
 * ready-made). `size` "all" means every size added up.
 */

export type SizeFilter = Size | "all";
export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];

export const pad2 = (n: number) => String(n).padStart(2, "0");
/** YYYY-MM-DD of an instant in the browser's zone. */
export const localDateKey = (d: Date) => `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;

/** Local midnight `days - 1` days ago: the period includes today, like /api/production-history. */
export function periodStart(days: number, now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
}

/** The calendar days of the period, oldest first. */
export function periodDays(days: number, now = new Date()): string[] {
  const start = periodStart(days, now);
  return Array.from({ length: days }, (_, i) => localDateKey(new Date(start.getFullYear(), start.getMonth(), start.getDate() + i)));
}

export function unitsOf(b: Pick<Batch, "counts_0_5" | "counts_0_7" | "counts_1_0">, size: SizeFilter): number {
  return size === "all" ? b.counts_0_5 + b.counts_0_7 + b.counts_1_0 : b[`counts_${size}`];
}

/** When production of a batch ended: its end time, else the end of its last session, for batches past In progress. */
export function finishedAt(b: Batch): Date | null {
  if (b.production_end_time) return new Date(b.production_end_time);
  if (b.stage < 3) return null;
  const lastEnd = (b.production_sessions ?? [])
    .map((s) => s.end)
    .filter((e): e is string => e !== null)
    .sort()
    .at(-1);
  return lastEnd ? new Date(lastEnd) : null;
}

/**
 * Working hours spent rolling a batch: its recorded work hours, else its production duration,
 * else what its average rate implies (units ÷ units per hour, as the floor's rate shows it);
 * null when none is known.
 */
export function workHours(b: Batch): number | null {
  if (b.total_work_hours > 0) return b.total_work_hours;
  if (b.production_duration_hours && b.production_duration_hours > 0) return b.production_duration_hours;
  const rate = b.rate_metrics?.average_rate ?? b.cached_production_rate;
  const units = b.counts_0_5 + b.counts_0_7 + b.counts_1_0;
  if (rate && rate > 0 && units > 0) return units / rate;
  return null;
}

/** Batches whose production finished inside the period. */
export function batchesDone(batches: Batch[], since: Date): Batch[] {
  return batches.filter((b) => {
    const at = finishedAt(b);
    return at !== null && at >= since;
  });
}

/** Units per working hour over the given batches (Σ units ÷ Σ hours); null without hours. */
export function averageRate(batches: Batch[], size: SizeFilter): number | null {
  let units = 0;
  let hours = 0;
  for (const b of batches) {
    const h = workHours(b);
    if (h === null) continue;
    units += unitsOf(b, size);
    hours += h;
  }
  return hours > 0 ? units / hours : null;
}

export interface ProductionDay {
  date: string;
  "0_5": number;
  "0_7": number;
  "1_0": number;
  total: number;
}

/** Production per day with only the chosen size(s) kept (others zero), total of what is kept. */
export function productionDays(history: ProductionHistoryResponse, size: SizeFilter): ProductionDay[] {
  return history.daily_production.map((d) => {
    const row = { date: d.date, "0_5": 0, "0_7": 0, "1_0": 0, total: 0 };
    for (const s of sizes) {
      if (size !== "all" && s !== size) continue;
      row[s] = d[s];
      row.total += d[s];
    }
    return row;
  });
}

export interface RatePoint {
  date: string;
  strain: string;
  batch_id: string;
  rate: number;
}

/** One point per finished batch of the period: its rate (units of the size per work hour), by finish day. */
export function ratePoints(done: Batch[], size: SizeFilter): RatePoint[] {
  const out: RatePoint[] = [];
  for (const b of done) {
    const hours = workHours(b);
    const at = finishedAt(b);
    if (hours === null || at === null) continue;
    out.push({ date: localDateKey(at), strain: b.strain, batch_id: b.id, rate: Math.round(unitsOf(b, size) / hours) });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.strain.localeCompare(b.strain));
}

/** Chart rows for rate over time: one row per day with a batch, one column per strain (the day's mean). */
export function rateRows(points: RatePoint[]): { strains: string[]; rows: Record<string, string | number>[] } {
  const strains = [...new Set(points.map((p) => p.strain))].sort();
  const byDay = new Map<string, Map<string, number[]>>();
  for (const p of points) {
    const day = byDay.get(p.date) ?? new Map<string, number[]>();
    day.set(p.strain, [...(day.get(p.strain) ?? []), p.rate]);
    byDay.set(p.date, day);
  }
  const rows = [...byDay.entries()].map(([date, perStrain]) => {
    const row: Record<string, string | number> = { date };
    for (const [strain, rates] of perStrain) row[strain] = Math.round(rates.reduce((s, r) => s + r, 0) / rates.length);
    return row;
  });
  return { strains, rows };
}

export interface GramsDay {
  date: string;
  grams: number;
}

const COUNTED_STATUSES = new Set(["active", "depleted"]);

/**
 * Finished-goods grams on hand at the end of each day: every package's latest `current_grams` at
 * that moment (archived and orphaned packages count 0). Packages whose first known row is not
 * their creation are taken to have held that row's grams since before the period.
 */
export function finishedGoodsGrams(history: FinishedGoodHistoryResponse["history"], days: string[]): GramsDay[] {
  const rows = [...history].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id - b.id);
  const grams = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.metrc_number)) continue;
    seen.add(r.metrc_number);
    if (r.change_type !== "created") grams.set(r.metrc_number, r.current_grams);
  }
  const out: GramsDay[] = [];
  let i = 0;
  for (const day of days) {
    while (i < rows.length && localDateKey(new Date(rows[i].timestamp)) <= day) {
      const r = rows[i++];
      grams.set(r.metrc_number, r.status === null || COUNTED_STATUSES.has(r.status) ? r.current_grams : 0);
    }
    let total = 0;
    for (const g of grams.values()) total += g;
    out.push({ date: day, grams: Math.round(total * 10) / 10 });
  }
  return out;
}

/** "2026-12-07" → "Dec 7". */
export function shortDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString("en-US", { month: "short", day: "numeric" });
}
