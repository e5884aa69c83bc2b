import { z } from "zod";
import { sizes } from "@/lib/domain/batches/constants";
import { stageNameSchema, weightLogEntrySchema, weightStatusSchema, type WeightLogEntry } from "@/lib/domain/batches/batch-response";

/**
 * Response schemas of the weight-check routes (the wire contract). Imported by browser code:
 * zod and pure constants only. `z.object` (not strict) so a field the server adds later does not
 * break an old client; tests/integration/wire-contract.test.ts checks the real responses against
 * these with unknown keys reported, so every field the server emits is listed here.
 */

const size = z.enum(sizes);
const isoDateTime = z.iso.datetime();

/** The weight log entry is a batch column (batch-response.ts); re-exported for the weight pages. */
export { weightLogEntrySchema, weightStatusSchema, type WeightLogEntry };
const perSizeNumber = z.object({ "0_5": z.number(), "0_7": z.number(), "1_0": z.number() });

/** `analysis` of POST /api/weight-check/{id}. */
export const weightCheckAnalysisSchema = z.object({
  check_id: z.number().int(),
  size,
  size_label: z.string(),
  sample_weight: z.number(),
  sample_units: z.number().int(),
  count_at_measurement: z.number().int(),
  unit_weight: z.number(),
  tare_weight: z.number(),
  flower_weight: z.number(),
  target_weight: z.number(),
  deviation_percent: z.number(),
  tolerance_percent: z.number(),
  within_tolerance: z.boolean(),
  status: weightStatusSchema,
  running_yield: z.number(),
  grams_used_estimate: z.number(),
  units_counted: z.number().int(),
  recorded_at: isoDateTime,
});
export type WeightCheckAnalysis = z.infer<typeof weightCheckAnalysisSchema>;

/** POST /api/weight-check/{id}: `{success, analysis}`. */
export const weightCheckResponseSchema = z.object({ success: z.literal(true), analysis: weightCheckAnalysisSchema });
export type WeightCheckResponse = z.infer<typeof weightCheckResponseSchema>;

/** DELETE /api/weight-check/{id}/{check_id} (admin). */
export const deleteWeightCheckResponseSchema = z.object({
  success: z.literal(true),
  deleted_check_id: z.number().int(),
  size,
  running_yield: z.number(),
  grams_used_estimate: z.number(),
  checks_remaining: z.number().int(),
});
export type DeleteWeightCheckResponse = z.infer<typeof deleteWeightCheckResponseSchema>;

const spreadSchema = z.object({
  mean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  std_dev: z.number().nullable(),
});

const weightTrendSchema = z.object({
  direction: z.enum(["rising", "falling", "stable", "insufficient_data"]),
  slope_percent_per_check: z.number().nullable(),
  change_percent: z.number().nullable(),
});

export const sizeWeightAnalyticsSchema = z.object({
  size,
  size_label: z.string(),
  target_weight: z.number(),
  tare_weight: z.number(),
  current_count: z.number().int(),
  checks_count: z.number().int(),
  unit_weight: spreadSchema,
  flower_weight: spreadSchema,
  mean_deviation_percent: z.number().nullable(),
  within_tolerance_count: z.number().int(),
  within_tolerance_percent: z.number().nullable(),
  trend: weightTrendSchema,
  running_yield: z.number(),
  yield_status: weightStatusSchema.nullable(),
  grams_used_estimate: z.number(),
  nominal_grams: z.number(),
  last_check: z.object({ timestamp: z.string(), count: z.number(), status: weightStatusSchema, flower_weight: z.number() }).nullable(),
  last_weight_check_count: z.number().int(),
  last_weight_check_date: isoDateTime.nullable(),
  units_since_last_check: z.number().nullable(),
  log: z.array(weightLogEntrySchema),
});
export type SizeWeightAnalytics = z.infer<typeof sizeWeightAnalyticsSchema>;

/** GET /api/weight-analytics/{id}: per size (all three sizes, always) and in total, with the definitions. */
export const weightAnalyticsResponseSchema = z.object({
  batch_id: z.string(),
  strain: z.string(),
  stage: z.number().int(),
  stage_name: stageNameSchema,
  tolerance_percent: z.number(),
  tare_weights: perSizeNumber,
  sizes: z.record(size, sizeWeightAnalyticsSchema),
  totals: z.object({
    checks_count: z.number().int(),
    within_tolerance_count: z.number().int(),
    within_tolerance_percent: z.number().nullable(),
    units_counted: z.number().int(),
    units_with_yield: z.number().int(),
    grams_used_estimate: z.number(),
    nominal_grams: z.number(),
    running_yield: z.number(),
    yield_status: weightStatusSchema.nullable(),
    /** The newest check's log timestamp (a plain string, see weightLogEntrySchema); null without checks. */
    last_check_at: z.string().nullable(),
  }),
  definitions: z.object({
    unit_weight: z.string(),
    flower_weight: z.string(),
    target_weight: z.string(),
    deviation_percent: z.string(),
    status: z.string(),
    running_yield: z.string(),
    grams_used_estimate: z.string(),
    trend: z.string(),
  }),
});
export type WeightAnalytics = z.infer<typeof weightAnalyticsResponseSchema>;
export type WeightAnalyticsResponse = WeightAnalytics;
