import { z } from "zod";
import type { CentrifugeOutcome } from "@/lib/generated/prisma/client";
import { grindSizes, sizes } from "@/lib/domain/batches/constants";
import { qualityScore } from "@/lib/domain/centrifuge/learning/recommend";
import { strainOutcomes } from "@/lib/domain/centrifuge/list-outcomes";
import { recommendationFor, targetBatchContext } from "@/lib/domain/centrifuge/recommendation-for";
import type { TrendsResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";

export const strainParams = z.strictObject({ strain: z.string().trim().min(1).max(200) });

export const trendsQuery = z.object({
  grind_size: z.enum(grindSizes).optional(),
  target_batch: z.string().min(1).max(100).optional(),
  days_since_harvest: z.coerce.number().int().min(0).max(3650).optional(),
  /** Ours: one size only (the recommendation then can come from the learning processor's row). */
  size: z.enum(sizes).optional(),
});

/** A relative rpm change over the timeline under this counts as stable. */
export const STABLE_FRACTION = 0.02;

/**
 * rpm trend by least squares over the timeline order: the fitted change from first to last entry
 * relative to the mean — above +2 % increasing, below −2 % decreasing, else stable; fewer than
 * two entries: insufficient_data.
 */
export function rpmTrend(rpms: readonly number[]): "increasing" | "decreasing" | "stable" | "insufficient_data" {
  const n = rpms.length;
  if (n < 2) return "insufficient_data";
  const meanX = (n - 1) / 2;
  const meanY = rpms.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  rpms.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  const change = ((num / den) * (n - 1)) / meanY;
  return change > STABLE_FRACTION ? "increasing" : change < -STABLE_FRACTION ? "decreasing" : "stable";
}

/** The rpm of the best result (weight-mode quality; ties → the newest). */
export function optimalRpm(outcomes: readonly CentrifugeOutcome[]): number | null {
  let best: CentrifugeOutcome | null = null;
  let bestScore = -1;
  for (const o of outcomes) {
    const score = qualityScore(o, "weight");
    if (score >= bestScore) [best, bestScore] = [o, score];
  }
  return best?.rpm ?? null;
}

/**
 * `GET /api/centrifuge/trends/{strain}` (also `/api/centrifuge-trends/{strain}`): the strain's
 * centrifuge runs over time (one timeline entry per recorded outcome; entries of the same batch
 * share its `batch_number`, 1 = the first batch), the rpm trend, the rpm of the best run, and a
 * recommendation across sizes (or for `size`).
 */
export async function centrifugeTrends(strain: string, query: z.output<typeof trendsQuery>): Promise<TrendsResponse> {
  const target = await targetBatchContext(query.target_batch);
  const grind = query.grind_size ?? target?.grind_size ?? null;
  const days = query.days_since_harvest ?? target?.days_since_harvest ?? null;
  const outcomes = (await strainOutcomes({ strain, size: query.size, grind_size: grind ?? undefined })).filter(
    (o) => !target?.found || o.batch_id !== target.id,
  );

  const batchNumbers = new Map<string, number>();
  type Entry = TrendsResponse["timeline"][number];
  const timeline = outcomes.map((o): Entry => {
    const key = o.batch_id ?? `outcome:${o.id}`;
    if (!batchNumbers.has(key)) batchNumbers.set(key, batchNumbers.size + 1);
    return {
      batch_number: batchNumbers.get(key)!,
      rpm: o.rpm,
      time_seconds: o.time_seconds,
      fill_gauge: o.fill_gauge_cycle1,
      yield_percent: o.yield_percent,
      batch_id: o.batch_id,
      // String columns only recordCentrifugeOutcome writes, from recordOutcomeSchema's enums.
      size: o.size as Entry["size"],
      cycles: o.cycles,
      fill_gauge_cycle2: o.fill_gauge_cycle2,
      weight_check_pass_rate: o.weight_check_pass_rate,
      grind_size: o.grind_size as Entry["grind_size"],
      days_since_harvest: o.days_since_harvest,
      recorded_at: o.recorded_at.toISOString(),
    };
  });

  const rec = await recommendationFor(
    {
      strain,
      size: query.size ?? null,
      grind_size: grind,
      priority_mode: "weight",
      temporal: true,
      days_since_harvest: days,
    },
    outcomes,
  );
  const rpms = outcomes.map((o) => o.rpm);
  return {
    strain,
    has_data: outcomes.length > 0,
    timeline,
    trend_analysis: {
      rpm_trend: rpmTrend(rpms),
      optimal_rpm: optimalRpm(outcomes),
      average_rpm: rpms.length ? Math.round(rpms.reduce((s, v) => s + v, 0) / rpms.length) : null,
      sample_size: outcomes.length,
    },
    recommendation: rec && {
      rpm: rec.rpm,
      time_seconds: rec.time_seconds,
      fill_gauge_cycle1: rec.fill_gauge_cycle1,
      confidence: rec.confidence,
      cycles: rec.cycles,
      fill_gauge_cycle2: rec.fill_gauge_cycle2,
      confidence_level: rec.confidence_level,
      sample_size: rec.sample_size,
      source: rec.source,
    },
    filters: {
      // From grindSizes (the query) or a batch's grind_size, written only through that enum.
      grind_size: grind as TrendsResponse["filters"]["grind_size"],
      days_since_harvest: days,
      size: query.size ?? null,
      target_batch: target ? { id: target.id, found: target.found } : null,
    },
    ...(outcomes.length === 0 ? { message: "No centrifuge outcomes recorded for this strain yet" } : {}),
  };
}
