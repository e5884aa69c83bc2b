import { addWorkingHours, workingHoursBetween, zoneFor, type WorkSchedule, type Zone } from "@/lib/domain/batches/rate/working-clock";

/**
 * Production rate (pure). Formulas, all in units per WORKING hour (working-clock.ts):
 *
 * - Points: one per count change (CountEntry rows written together — one save touching several
 *   sizes — are one point). y = cumulative total count of all sizes after the change; x = working
 *   hours since the first count entry (x₀ = 0). Nights, weekends and other non-work days add no x,
 *   so a gap between Friday evening and Monday morning does not lower the rate.
 * - Rate = least-squares slope of y on x: Σ(x−x̄)(y−ȳ) / Σ(x−x̄)². Fewer than 2 points, or no
 *   working time between the first and last point (Σ(x−x̄)² = 0), → null. The slope ignores the
 *   intercept, so units rolled before the first entry do not inflate it, and one late, large entry
 *   moves it less than "total ÷ hours" does.
 * - rate_history: one `{timestamp, rate, total_count}` per point, `rate` being the slope over the
 *   points so far (null for the first point). Kept to the newest RATE_HISTORY_LIMIT points.
 * - rate_metrics:
 *   - average_rate: (last total − first total) ÷ working hours between them (overall throughput);
 *   - peak_rate: the highest history rate among points at least PEAK_MIN_SPAN_HOURS of working
 *     time after the first (earlier slopes over a few minutes are noise); if none qualify, the
 *     highest history rate;
 *   - trend over the last TREND_WINDOW non-null history rates: newest vs oldest of the window,
 *     relative change > +TREND_THRESHOLD → "increasing", < −TREND_THRESHOLD → "decreasing",
 *     otherwise — or with fewer than 3 rates — "stable";
 *   - plus current_rate, data_points, working_hours (x of the last point), trend_window.
 * - Rates are rounded to 2 decimals on output; computation uses the unrounded values.
 *
 * Known limit: a count saved outside working hours (Saturday overtime, 17:30 for work done by
 * 17:00) gets the working-time position of the last working moment before it.
 */

export const RATE_HISTORY_LIMIT = 1000;
export const TREND_WINDOW = 5;
export const TREND_THRESHOLD = 0.05;
export const PEAK_MIN_SPAN_HOURS = 1;

export type Trend = "increasing" | "decreasing" | "stable";

export interface CountRow {
  size: string;
  total_after: number;
  at: Date;
}

export interface RatePoint {
  at: Date;
  /** Cumulative working hours since the first point. */
  hours: number;
  total: number;
}

export interface RateHistoryEntry {
  timestamp: string;
  rate: number | null;
  total_count: number;
}

export interface RateMetrics {
  average_rate: number | null;
  peak_rate: number | null;
  trend: Trend;
  current_rate: number | null;
  data_points: number;
  working_hours: number;
  trend_window: number;
}

export interface RateResult {
  rate: number | null;
  history: RateHistoryEntry[];
  metrics: RateMetrics;
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Count rows (ordered by time) → one point per timestamp with the cumulative all-size total. */
export function ratePoints(rows: readonly CountRow[], schedule: WorkSchedule, zone: Zone = zoneFor(schedule)): RatePoint[] {
  const sorted = [...rows].sort((a, b) => a.at.getTime() - b.at.getTime());
  const latest = new Map<string, number>();
  const points: RatePoint[] = [];
  for (const row of sorted) {
    latest.set(row.size, row.total_after);
    const total = [...latest.values()].reduce((s, v) => s + v, 0);
    const prev = points[points.length - 1];
    if (prev && prev.at.getTime() === row.at.getTime()) {
      prev.total = total;
      continue;
    }
    const hours = prev ? prev.hours + workingHoursBetween(prev.at, row.at, schedule, zone) : 0;
    points.push({ at: row.at, hours, total });
  }
  return points;
}

/** Least-squares slope of total on hours; null below 2 points or without working time. */
export function regressionRate(points: readonly Pick<RatePoint, "hours" | "total">[]): number | null {
  const acc = new SlopeAccumulator();
  for (const p of points) acc.add(p.hours, p.total);
  return acc.slope();
}

/** Online (Welford) least squares, so the rate after every point costs O(1). */
class SlopeAccumulator {
  n = 0;
  private meanX = 0;
  private meanY = 0;
  private sxx = 0;
  private sxy = 0;

  add(x: number, y: number): void {
    this.n += 1;
    const dx = x - this.meanX;
    this.meanX += dx / this.n;
    this.meanY += (y - this.meanY) / this.n;
    this.sxx += dx * (x - this.meanX);
    this.sxy += dx * (y - this.meanY);
  }

  slope(): number | null {
    if (this.n < 2 || this.sxx <= 1e-12) return null;
    return this.sxy / this.sxx;
  }
}

/** Trend of a rate series (see the header): newest vs oldest of the last TREND_WINDOW rates. */
export function rateTrend(rates: readonly (number | null)[]): Trend {
  const window = rates.filter((r): r is number => r !== null).slice(-TREND_WINDOW);
  if (window.length < 3) return "stable";
  const oldest = window[0];
  const newest = window[window.length - 1];
  if (oldest === 0) return newest > 0 ? "increasing" : newest < 0 ? "decreasing" : "stable";
  const change = (newest - oldest) / Math.abs(oldest);
  if (change > TREND_THRESHOLD) return "increasing";
  if (change < -TREND_THRESHOLD) return "decreasing";
  return "stable";
}

/** Rate, history and metrics of a batch's count rows. */
export function computeRate(rows: readonly CountRow[], schedule: WorkSchedule, zone: Zone = zoneFor(schedule)): RateResult {
  const points = ratePoints(rows, schedule, zone);
  const acc = new SlopeAccumulator();
  const rates: (number | null)[] = [];
  let peak: number | null = null;
  let peakAny: number | null = null;
  for (const p of points) {
    acc.add(p.hours, p.total);
    const r = acc.slope();
    rates.push(r);
    if (r === null) continue;
    peakAny = peakAny === null ? r : Math.max(peakAny, r);
    if (p.hours >= PEAK_MIN_SPAN_HOURS) peak = peak === null ? r : Math.max(peak, r);
  }
  const rate = rates.length ? rates[rates.length - 1] : null;
  const first = points[0];
  const last = points[points.length - 1];
  const span = first && last ? last.hours - first.hours : 0;
  const history = points.slice(-RATE_HISTORY_LIMIT).map((p, i, kept) => ({
    timestamp: p.at.toISOString(),
    rate: round2(rates[points.length - kept.length + i]),
    total_count: p.total,
  }));
  return {
    rate: round2(rate),
    history,
    metrics: {
      average_rate: span > 0 ? round2((last.total - first.total) / span) : null,
      peak_rate: round2(peak ?? peakAny),
      trend: rateTrend(rates),
      current_rate: round2(rate),
      data_points: points.length,
      working_hours: round3(last?.hours ?? 0),
      trend_window: TREND_WINDOW,
    },
  };
}

export interface Eta {
  /** Planned units not yet counted (null when the batch has no plan). */
  remaining_units: number | null;
  /** remaining ÷ rate, in working hours (0 when the plan is met; null when unknown). */
  eta_working_hours: number | null;
  /** When the plan will be met at this rate, following the work schedule (null when unknown or met). */
  estimated_completion: string | null;
}

/**
 * ETA to the plan: remaining planned units ÷ rate → working hours → the calendar instant that many
 * working hours after `from`, following the schedule (nights and weekends skipped).
 */
export function estimateCompletion(
  input: { totalCount: number; totalPlanned: number; rate: number | null; from: Date },
  schedule: WorkSchedule,
  zone: Zone = zoneFor(schedule),
): Eta {
  if (!(input.totalPlanned > 0)) return { remaining_units: null, eta_working_hours: null, estimated_completion: null };
  const remaining = Math.max(0, input.totalPlanned - input.totalCount);
  if (remaining === 0) return { remaining_units: 0, eta_working_hours: 0, estimated_completion: null };
  if (input.rate === null || !(input.rate > 0)) return { remaining_units: remaining, eta_working_hours: null, estimated_completion: null };
  const hours = remaining / input.rate;
  const at = addWorkingHours(input.from, hours, schedule, zone);
  return {
    remaining_units: remaining,
    eta_working_hours: round3(hours),
    estimated_completion: at ? at.toISOString() : null,
  };
}
