import { z } from "zod";
import { queryBool } from "@/lib/http/params";
import { grindSizes, sizes } from "@/lib/domain/batches/constants";
import { strainOutcomes } from "@/lib/domain/centrifuge/list-outcomes";
import { recommendationFor, targetBatchContext } from "@/lib/domain/centrifuge/recommendation-for";
import type { UnifiedRecommendationsResponse } from "@/lib/domain/centrifuge/centrifuge-response";

export const unifiedQuery = z.object({
  grind_size: z.enum(grindSizes).optional(),
  priority_mode: z.enum(["weight", "count"]).default("weight"),
  /** Favour outcomes of a similar harvest age (default on). */
  temporal: queryBool(true),
  target_batch: z.string().min(1).max(100).optional(),
  days_since_harvest: z.coerce.number().int().min(0).max(3650).optional(),
});

/**
 * `GET /api/centrifuge-recommendations-unified/{strain}`: one recommendation per size (rpm, time,
 * cycles, fill gauge per cycle, confidence) for the Plan page's size tabs.
 *
 * Per size, the strain's outcomes of the asked grind size (`grind_size`, else the target batch's)
 * are used — `match: "exact_grind"`; when that grind has none, all grinds (`"any_grind"`); with no
 * grind asked, all grinds (`"all_grinds"`). The target batch's own outcomes are left out.
 * `priority_mode` weight favours weight-check pass rate, count favours yield; `temporal` weighs by
 * harvest-age similarity to `days_since_harvest` (else the target batch's, else the newest run's).
 * `source` says whether the learning processor's stored row answered or it was computed now.
 */
export async function unifiedRecommendations(
  strain: string,
  query: z.output<typeof unifiedQuery>,
): Promise<UnifiedRecommendationsResponse> {
  const target = await targetBatchContext(query.target_batch);
  // A batch's grind_size is a String column written only through batch-schema's grindSizes enum.
  const grind = (query.grind_size ?? target?.grind_size ?? null) as UnifiedRecommendationsResponse["grind_size"];
  const days = query.days_since_harvest ?? target?.days_since_harvest ?? null;
  const all = (await strainOutcomes({ strain })).filter((o) => !target?.found || o.batch_id !== target.id);

  const recommendations = {} as UnifiedRecommendationsResponse["recommendations"];
  for (const size of sizes) {
    const ofSize = all.filter((o) => o.size === size);
    const exact = grind ? ofSize.filter((o) => o.grind_size === grind) : ofSize;
    const used = exact.length > 0 ? exact : ofSize;
    const match = !grind ? "all_grinds" : exact.length > 0 ? "exact_grind" : "any_grind";
    const rec = await recommendationFor(
      {
        strain,
        size,
        grind_size: match === "exact_grind" ? grind : null,
        priority_mode: query.priority_mode,
        temporal: query.temporal,
        days_since_harvest: days,
      },
      used,
    );
    recommendations[size] = rec
      ? { size, has_data: true, ...rec, match }
      : {
          size,
          has_data: false,
          rpm: null,
          time_seconds: null,
          cycles: null,
          fill_gauge_cycle1: null,
          fill_gauge_cycle2: null,
          confidence: 0,
          confidence_level: "low",
          sample_size: 0,
          source: null,
          updated_at: null,
          match: null,
        };
  }
  return {
    success: true,
    strain,
    has_data: all.length > 0,
    priority_mode: query.priority_mode,
    temporal: query.temporal,
    grind_size: grind,
    days_since_harvest: days,
    target_batch: target ? { id: target.id, found: target.found } : null,
    recommendations,
  };
}
