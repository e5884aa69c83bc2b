import { sizeGrams, sizes, type Size } from "@/lib/domain/batches/constants";

/** Units in a sample unless the request says otherwise (the contract's 10 pre-rolls). */
export const SAMPLE_UNITS = 10;

/**
 * Weight-check arithmetic (pure; tests/unit/weight-math.test.ts).
 *
 * Definitions (also returned by GET /api/weight-analytics/{id} under `definitions`):
 *
 * - **unit weight**: sample weight ÷ units in the sample (10 by default): what one finished
 *   pre-roll weighs on the scale, cone/paper included.
 * - **flower weight**: unit weight − tare, where tare is the `tare_weights` setting for the size
 *   (the weight of one empty cone/paper). It is the flower actually in one pre-roll.
 * - **target weight**: the size's nominal fill, 0.5 / 0.7 / 1.0 g of flower — what the label
 *   promises. (The batch's single `target_grams_each` predates per-size production and is not
 *   used: a batch makes several sizes at once.)
 * - **deviation %**: (flower − target) ÷ target × 100; positive = overfilled.
 * - **status**: `good` within ±tolerance (the `weight_tolerance_percent` setting, default 10 %),
 *   `warning` within ±2 × tolerance, `bad` beyond — green / orange / red on the floor.
 *   `within_tolerance` is `status === "good"`; anything else emits `weight_check.out_of_tolerance`.
 * - **running yield** of a size: the share of the flower used so far that went into the nominal
 *   fill being sold = units counted × target ÷ estimated flower grams used × 100.
 *   100 % = every gram went into labelled weight; 95 % = 5 % of the flower was given away in
 *   overfilled units; above 100 % = units are light (underfilled). The flower used is estimated
 *   by giving each unit counted the flower weight of the weight check nearest to it by count
 *   (boundaries halfway between checks' counts; units before the first check take the first
 *   check, units after the last take the last). 0 % means counts or weights are missing (no
 *   units counted, or no usable weight check), as the legacy screen said.
 */

export type WeightStatus = "good" | "warning" | "bad";

const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** The size key for the forms clients write: "0.5g", "0.5 g", "0.5", 0.5, "0_5", "1g", "1.0g" … */
export function normalizeSize(value: unknown): Size | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    return sizes.find((s) => Math.abs(sizeGrams[s] - value) < 1e-9) ?? null;
  }
  if (typeof value !== "string") return null;
  const s = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/(grams?|g)$/, "")
    .replace("_", ".");
  if (!/^\d*\.?\d+$/.test(s)) return null;
  return normalizeSize(Number(s));
}

/** "0_5" → "0.5g" (how weight-check bodies and the floor name sizes). */
export function sizeLabel(size: Size): string {
  return `${sizeGrams[size].toFixed(1)}g`;
}

export function statusFor(deviationPercent: number, tolerancePercent: number): WeightStatus {
  const off = Math.abs(deviationPercent);
  // A hair of float noise must not turn an exact 10.00 % into "warning".
  if (off <= tolerancePercent + 1e-9) return "good";
  if (off <= 2 * tolerancePercent + 1e-9) return "warning";
  return "bad";
}

export interface SampleInput {
  size: Size;
  sampleWeight: number;
  sampleUnits: number;
  tare: number;
  tolerancePercent: number;
}

export interface SampleAnalysis {
  unit_weight: number;
  tare_weight: number;
  flower_weight: number;
  target_weight: number;
  deviation_percent: number;
  tolerance_percent: number;
  within_tolerance: boolean;
  status: WeightStatus;
}

/** One sample: unit weight, flower weight (minus tare), deviation from the nominal fill, band. */
export function analyseSample(input: SampleInput): SampleAnalysis {
  const target = sizeGrams[input.size];
  const unit = input.sampleUnits > 0 ? input.sampleWeight / input.sampleUnits : 0;
  const flower = Math.max(0, unit - input.tare);
  const deviation = target > 0 ? ((flower - target) / target) * 100 : 0;
  const status = statusFor(deviation, input.tolerancePercent);
  return {
    unit_weight: round(unit, 4),
    tare_weight: input.tare,
    flower_weight: round(flower, 4),
    target_weight: target,
    deviation_percent: round(deviation, 2),
    tolerance_percent: input.tolerancePercent,
    within_tolerance: status === "good",
    status,
  };
}

/** A weight check as the yield needs it: the count it was taken at and its flower weight. */
export interface YieldPoint {
  count: number;
  flowerWeight: number;
}

export interface RunningYield {
  /** Percent, 2 decimals; 0 when counts or weights are missing. */
  running_yield: number;
  /** Estimated flower grams used so far for the size (2 decimals). */
  grams_used_estimate: number;
  /** Units counted × nominal fill: the grams the labels promise. */
  nominal_grams: number;
  units: number;
}

/**
 * Running yield of one size from its current count and its weight checks (see the header).
 * Checks at the same count are averaged; checks with no flower weight (≤ 0) or a negative count
 * are ignored.
 */
export function runningYield(size: Size, unitsCounted: number, points: readonly YieldPoint[]): RunningYield {
  const target = sizeGrams[size];
  const units = Math.max(0, Math.floor(unitsCounted || 0));
  const byCount = new Map<number, { sum: number; n: number }>();
  for (const p of points) {
    if (!(p.flowerWeight > 0) || !Number.isFinite(p.flowerWeight) || !(p.count >= 0)) continue;
    const slot = byCount.get(p.count) ?? { sum: 0, n: 0 };
    slot.sum += p.flowerWeight;
    slot.n += 1;
    byCount.set(p.count, slot);
  }
  const merged = [...byCount.entries()].sort((a, b) => a[0] - b[0]).map(([count, s]) => ({ count, weight: s.sum / s.n }));
  const nominal = units * target;
  if (units === 0 || merged.length === 0) {
    return { running_yield: 0, grams_used_estimate: 0, nominal_grams: round(nominal, 2), units };
  }
  let grams = 0;
  let from = 0;
  merged.forEach((point, i) => {
    const next = merged[i + 1];
    const to = next ? Math.min(units, (point.count + next.count) / 2) : units;
    if (to > from) grams += (to - from) * point.weight;
    from = Math.max(from, to);
  });
  return {
    running_yield: grams > 0 ? round((nominal / grams) * 100, 2) : 0,
    grams_used_estimate: round(grams, 2),
    nominal_grams: round(nominal, 2),
    units,
  };
}

export interface Spread {
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Sample standard deviation (n − 1); null below two values. */
  std_dev: number | null;
}

export function spread(values: readonly number[], digits = 4): Spread {
  if (values.length === 0) return { mean: null, min: null, max: null, std_dev: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1) : null;
  return {
    mean: round(mean, digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
    std_dev: variance === null ? null : round(Math.sqrt(variance), digits),
  };
}

export interface Trend {
  /** `rising` = units getting heavier over the checks, `falling` = lighter. */
  direction: "rising" | "falling" | "stable" | "insufficient_data";
  /** Least-squares slope of flower weight per check, as % of the target. */
  slope_percent_per_check: number | null;
  /** Fitted change from the first to the last check, as % of the target. */
  change_percent: number | null;
}

/**
 * Trend of the flower weight over the checks in the order they were taken (least squares against
 * the check's position). Stable when the fitted change over all checks stays within half the
 * tolerance band.
 */
export function trendOf(flowerWeights: readonly number[], target: number, tolerancePercent: number): Trend {
  const n = flowerWeights.length;
  if (n < 2 || !(target > 0)) return { direction: "insufficient_data", slope_percent_per_check: null, change_percent: null };
  const meanX = (n - 1) / 2;
  const meanY = flowerWeights.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  flowerWeights.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  const slope = den > 0 ? num / den : 0;
  const slopePct = (slope / target) * 100;
  const change = slopePct * (n - 1);
  const direction = Math.abs(change) <= tolerancePercent / 2 + 1e-9 ? "stable" : change > 0 ? "rising" : "falling";
  return { direction, slope_percent_per_check: round(slopePct, 3), change_percent: round(change, 2) };
}

/** The running yield's colour, with the checks' bands around 100 %; null when it is 0 (missing). */
export function yieldStatus(runningYieldPercent: number, tolerancePercent: number): WeightStatus | null {
  if (!(runningYieldPercent > 0)) return null;
  return statusFor(runningYieldPercent - 100, tolerancePercent);
}
