/**
 * The learning maths, pure: a centrifuge recommendation from recorded outcomes.
 *
 * Each outcome i gets a weight w_i = Q_i × H_i:
 * - Quality Q_i = exp(4 × (q_i − 1)), q_i ∈ [0,1] being the outcome's result:
 *   q = a × pass_rate + b × yield (both as fractions of 100 %), (a, b) = (0.7, 0.3) in `weight`
 *   priority mode (hitting the target weight matters most) and (0.3, 0.7) in `count` mode
 *   (output matters most); with one of them missing, the other alone; with neither, q = 0.5.
 *   A perfect run weighs 1, a 90 % run 0.67, a 75 % run 0.37, a 50 % run 0.14 — better results
 *   pull the recommendation towards their settings without silencing the rest.
 * - Harvest-age similarity H_i = exp(−|d_i − d_ref| / 14) (d = days since harvest): material of a
 *   similar age behaves alike (drier flower packs differently). d_ref is the age asked about, or
 *   the newest outcome's; an outcome without an age gets 0.5; without a reference (or with
 *   `temporal` off) H = 1.
 *
 * Recommendation: rpm and time are the weighted means (whole rpm, whole seconds); cycles the
 * weighted mode (ties → fewer cycles); fill gauge per cycle the weighted mean of the outcomes that
 * recorded one (whole gauge steps, 1–12; cycle 2 only when the recommendation has 2+ cycles).
 *
 * Confidence ∈ [0, 1) = S × D, 2 decimals:
 * - sample factor S = n / (n + 2): 1 outcome 0.33, 2 → 0.5, 4 → 0.67, 8 → 0.8, 18 → 0.9 — grows
 *   with every outcome and never reaches 1;
 * - spread factor D = 1 / (1 + (cv_rpm + cv_time) / 0.5), cv being the weighted coefficient of
 *   variation (standard deviation ÷ mean) of rpm and of time: identical settings give 1,
 *   a combined 10 % spread 0.83, 50 % 0.5 — scattered settings mean less confidence.
 * Levels for the UI: high ≥ 0.7, medium ≥ 0.4, else low.
 */

export type PriorityMode = "weight" | "count";

export interface OutcomeSample {
  rpm: number;
  time_seconds: number;
  cycles: number;
  fill_gauge_cycle1: number | null;
  fill_gauge_cycle2: number | null;
  yield_percent: number | null;
  weight_check_pass_rate: number | null;
  days_since_harvest: number | null;
  recorded_at: Date;
}

export interface RecommendOptions {
  priorityMode?: PriorityMode;
  /** Days since harvest to favour; undefined = the newest outcome's. */
  referenceDays?: number | null;
  /** Weigh by harvest-age similarity (default true). */
  temporal?: boolean;
}

export interface Recommendation {
  rpm: number;
  time_seconds: number;
  cycles: number;
  fill_gauge_cycle1: number | null;
  fill_gauge_cycle2: number | null;
  confidence: number;
  sample_size: number;
}

export const QUALITY_SHARPNESS = 4;
export const HARVEST_SCALE_DAYS = 14;
export const SAMPLE_HALF = 2;
export const SPREAD_SCALE = 0.5;

const MODE_WEIGHTS: Record<PriorityMode, { pass: number; yield: number }> = {
  weight: { pass: 0.7, yield: 0.3 },
  count: { pass: 0.3, yield: 0.7 },
};

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const round2 = (n: number) => Math.round(n * 100) / 100;

/** q ∈ [0,1]: how good an outcome's result was, per priority mode. */
export function qualityScore(o: Pick<OutcomeSample, "yield_percent" | "weight_check_pass_rate">, mode: PriorityMode = "weight"): number {
  const pass = o.weight_check_pass_rate == null ? null : clamp01(o.weight_check_pass_rate / 100);
  const yld = o.yield_percent == null ? null : clamp01(o.yield_percent / 100);
  if (pass === null && yld === null) return 0.5;
  if (pass === null) return yld!;
  if (yld === null) return pass;
  const w = MODE_WEIGHTS[mode];
  return w.pass * pass + w.yield * yld;
}

/** d_ref: the newest outcome's days since harvest (null when none recorded one). */
export function newestHarvestAge(outcomes: readonly OutcomeSample[]): number | null {
  let best: OutcomeSample | null = null;
  for (const o of outcomes) {
    if (o.days_since_harvest == null) continue;
    if (!best || o.recorded_at.getTime() >= best.recorded_at.getTime()) best = o;
  }
  return best ? best.days_since_harvest : null;
}

/** w_i = Q_i × H_i (see the header). */
export function outcomeWeight(o: OutcomeSample, mode: PriorityMode, referenceDays: number | null): number {
  const quality = Math.exp(QUALITY_SHARPNESS * (qualityScore(o, mode) - 1));
  let harvest = 1;
  if (referenceDays != null) {
    harvest = o.days_since_harvest == null ? 0.5 : Math.exp(-Math.abs(o.days_since_harvest - referenceDays) / HARVEST_SCALE_DAYS);
  }
  return quality * harvest;
}

/** Weighted mean and coefficient of variation (population). */
export function weightedStats(values: readonly number[], weights: readonly number[]): { mean: number; cv: number } {
  const total = weights.reduce((s, w) => s + w, 0);
  if (values.length === 0 || total <= 0) return { mean: NaN, cv: 0 };
  const mean = values.reduce((s, v, i) => s + v * weights[i], 0) / total;
  const variance = values.reduce((s, v, i) => s + weights[i] * (v - mean) ** 2, 0) / total;
  return { mean, cv: mean > 0 ? Math.sqrt(variance) / mean : 0 };
}

/** S × D (see the header), 2 decimals. */
export function confidenceScore(sampleSize: number, cvRpm: number, cvTime: number): number {
  if (sampleSize <= 0) return 0;
  const sample = sampleSize / (sampleSize + SAMPLE_HALF);
  const spread = 1 / (1 + (cvRpm + cvTime) / SPREAD_SCALE);
  return round2(sample * spread);
}

export function confidenceLevel(confidence: number): "high" | "medium" | "low" {
  return confidence >= 0.7 ? "high" : confidence >= 0.4 ? "medium" : "low";
}

const gauge = (n: number) => Math.min(12, Math.max(1, Math.round(n)));

/** The recommendation from a group's outcomes, or null when there are none. */
export function recommend(outcomes: readonly OutcomeSample[], options: RecommendOptions = {}): Recommendation | null {
  if (outcomes.length === 0) return null;
  const mode = options.priorityMode ?? "weight";
  const temporal = options.temporal ?? true;
  const ref = !temporal ? null : options.referenceDays === undefined ? newestHarvestAge(outcomes) : options.referenceDays;
  let weights = outcomes.map((o) => outcomeWeight(o, mode, ref));
  if (!weights.some((w) => w > 0)) weights = outcomes.map(() => 1);

  const rpm = weightedStats(
    outcomes.map((o) => o.rpm),
    weights,
  );
  const time = weightedStats(
    outcomes.map((o) => o.time_seconds),
    weights,
  );

  const byCycles = new Map<number, number>();
  outcomes.forEach((o, i) => byCycles.set(o.cycles, (byCycles.get(o.cycles) ?? 0) + weights[i]));
  const cycles = [...byCycles.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];

  const fill = (pick: (o: OutcomeSample) => number | null, include: (o: OutcomeSample) => boolean) => {
    const idx = outcomes.map((o, i) => [o, i] as const).filter(([o]) => include(o) && pick(o) != null);
    if (idx.length === 0) return null;
    return gauge(
      weightedStats(
        idx.map(([o]) => pick(o)!),
        idx.map(([, i]) => weights[i]),
      ).mean,
    );
  };

  return {
    rpm: Math.round(rpm.mean),
    time_seconds: Math.max(1, Math.round(time.mean)),
    cycles,
    fill_gauge_cycle1: fill(
      (o) => o.fill_gauge_cycle1,
      () => true,
    ),
    fill_gauge_cycle2:
      cycles >= 2
        ? fill(
            (o) => o.fill_gauge_cycle2,
            (o) => o.cycles >= 2,
          )
        : null,
    confidence: confidenceScore(outcomes.length, rpm.cv, time.cv),
    sample_size: outcomes.length,
  };
}
