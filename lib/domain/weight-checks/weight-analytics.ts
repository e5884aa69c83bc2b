import { db } from "@/lib/db/client";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { getSettings } from "@/lib/domain/settings/settings";
import { sizeGrams, sizes, stageNames, type Size } from "@/lib/domain/batches/constants";
import {
  sizeLabel,
  spread,
  trendOf,
  yieldStatus,
  type Spread,
  type Trend,
  type WeightStatus,
} from "@/lib/domain/weight-checks/weight-math";
import { countOf, latestEntry, logField, parseWeightLog, yieldFor, type WeightLogEntry } from "@/lib/domain/weight-checks/weight-log";
import type { WeightAnalytics } from "@/lib/domain/weight-checks/weight-check-response";

/** What each figure means, in the floor's words (the same text as weight-math.ts's header). */
export const WEIGHT_DEFINITIONS = {
  unit_weight: "Sample weight ÷ units in the sample (10 by default): one pre-roll on the scale, cone included.",
  flower_weight: "Unit weight − the size's tare (an empty cone, the tare_weights setting): the flower in one pre-roll.",
  target_weight: "The size's nominal fill: 0.5, 0.7 or 1.0 g of flower.",
  deviation_percent: "(flower weight − target) ÷ target × 100; positive = overfilled, negative = light.",
  status: "good (green) within ± tolerance; warning (orange) within ± 2 × tolerance; bad (red) beyond.",
  running_yield:
    "Units counted × target ÷ estimated flower grams used × 100: the share of the flower used that went into the weight on the label. " +
    "100 % = on target; below 100 % = flower given away in heavy units; above 100 % = units are light. " +
    "0 % means counts or weights are missing.",
  grams_used_estimate:
    "Each unit counted is given the flower weight of the weight check nearest to it by count " +
    "(halfway between checks; before the first check the first check, after the last the last).",
  trend: "Least-squares fit of flower weight over the checks in order; stable while the fitted change stays within half the tolerance.",
} as const;

export interface SizeAnalytics {
  size: Size;
  size_label: string;
  target_weight: number;
  tare_weight: number;
  current_count: number;
  checks_count: number;
  unit_weight: Spread;
  flower_weight: Spread;
  mean_deviation_percent: number | null;
  within_tolerance_count: number;
  /** Share of checks within tolerance (%), null without checks. */
  within_tolerance_percent: number | null;
  trend: Trend;
  running_yield: number;
  yield_status: WeightStatus | null;
  grams_used_estimate: number;
  nominal_grams: number;
  last_check: { timestamp: string; count: number; status: WeightStatus; flower_weight: number } | null;
  last_weight_check_count: number;
  last_weight_check_date: string | null;
  /** Units counted since the last check (how stale the yield's weight is). */
  units_since_last_check: number | null;
  log: WeightLogEntry[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Weight tracking analytics for one batch: per size and in total (GET /api/weight-analytics/{id}). */
export async function weightAnalytics(id: string): Promise<WeightAnalytics> {
  const batch = await loadBatch(db, id);
  const settings = await getSettings();
  const tolerance = settings.weight_tolerance_percent;

  const perSize = {} as Record<Size, SizeAnalytics>;
  for (const size of sizes) {
    const tare = settings.tare_weights[size];
    const log = parseWeightLog(batch[logField(size)], size, { tare, tolerancePercent: tolerance });
    const ordered = [...log].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    const within = log.filter((e) => e.within_tolerance).length;
    const y = yieldFor(batch, size, log);
    const last = latestEntry(log);
    const count = countOf(batch, size);
    const lastDate = batch[`last_weight_check_date_${size}`];
    perSize[size] = {
      size,
      size_label: sizeLabel(size),
      target_weight: sizeGrams[size],
      tare_weight: tare,
      current_count: count,
      checks_count: log.length,
      unit_weight: spread(log.map((e) => e.unit_weight)),
      flower_weight: spread(log.map((e) => e.flower_weight)),
      mean_deviation_percent: log.length ? round(log.reduce((a, e) => a + e.deviation_percent, 0) / log.length) : null,
      within_tolerance_count: within,
      within_tolerance_percent: log.length ? round((within / log.length) * 100) : null,
      trend: trendOf(
        ordered.map((e) => e.flower_weight),
        sizeGrams[size],
        tolerance,
      ),
      running_yield: y.running_yield,
      yield_status: yieldStatus(y.running_yield, tolerance),
      grams_used_estimate: y.grams_used_estimate,
      nominal_grams: y.nominal_grams,
      last_check: last ? { timestamp: last.timestamp, count: last.count, status: last.status, flower_weight: last.flower_weight } : null,
      last_weight_check_count: batch[`last_weight_check_count_${size}`],
      last_weight_check_date: lastDate ? lastDate.toISOString() : null,
      units_since_last_check: last ? Math.max(0, count - last.count) : null,
      log: ordered,
    };
  }

  const all = sizes.map((s) => perSize[s]);
  const checks = all.reduce((a, s) => a + s.checks_count, 0);
  const within = all.reduce((a, s) => a + s.within_tolerance_count, 0);
  // Overall yield over the sizes that have one (a size with no checks would otherwise count as 0 g used).
  const measured = all.filter((s) => s.running_yield > 0);
  const gramsUsed = measured.reduce((a, s) => a + s.grams_used_estimate, 0);
  const nominal = measured.reduce((a, s) => a + s.nominal_grams, 0);
  const lastAt = all.map((s) => s.last_check?.timestamp ?? "").reduce((a, b) => (b > a ? b : a), "");
  const overallYield = gramsUsed > 0 ? round((nominal / gramsUsed) * 100) : 0;

  return {
    batch_id: batch.id,
    strain: batch.strain,
    stage: batch.stage,
    stage_name: stageNames[batch.stage] ?? "Unknown",
    tolerance_percent: tolerance,
    tare_weights: settings.tare_weights,
    sizes: perSize,
    totals: {
      checks_count: checks,
      within_tolerance_count: within,
      within_tolerance_percent: checks ? round((within / checks) * 100) : null,
      units_counted: all.reduce((a, s) => a + s.current_count, 0),
      units_with_yield: measured.reduce((a, s) => a + s.current_count, 0),
      grams_used_estimate: round(gramsUsed),
      nominal_grams: round(nominal),
      running_yield: overallYield,
      yield_status: yieldStatus(overallYield, tolerance),
      last_check_at: lastAt || null,
    },
    definitions: WEIGHT_DEFINITIONS,
  };
}
