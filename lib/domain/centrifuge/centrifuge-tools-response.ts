import { z } from "zod";
import { grindSizes, sizes } from "@/lib/domain/batches/constants";
import { confidenceLevelSchema } from "@/lib/domain/centrifuge/centrifuge-response";

/**
 * Response schemas of the centrifuge tool routes the desk's /centrifuge page reads (calculators,
 * curve, zones, trends, history). Imported by browser code: zod and pure constants only. Kept apart
 * from centrifuge-response.ts, which the floor's Plan page imports. `z.object` (not strict), as
 * there; tests/integration/wire-contract.test.ts parses the real responses with these.
 */

const int = z.number().int();
const size = z.enum(sizes);
const grindSize = z.enum(grindSizes);

/** One impulse band in N·s (`[min, max)`, the last one closed). */
export const impulseZoneBandSchema = z.object({ min: z.number(), max: z.number(), label: z.string(), description: z.string() });
/** Zone key → band, in band order. */
export const impulseZoneBandsSchema = z.record(z.string(), impulseZoneBandSchema);
export type ImpulseZoneBands = z.infer<typeof impulseZoneBandsSchema>;

/** POST /api/centrifuge/calculate. */
export const calculateResponseSchema = z.object({
  success: z.literal(true),
  rpm: z.number(),
  centrifuge_type: z.string(),
  g_force: z.number(),
  radius_inches: z.number(),
  /** Key of the rpm safety zone (setting `centrifuge_safety_zones`). */
  safety_zone: z.string(),
  centrifuge_name: z.string(),
  within_machine_limits: z.boolean(),
});
export type CalculateResponse = z.infer<typeof calculateResponseSchema>;

/** POST /api/centrifuge/compare: the speed every other machine needs for the same g-force. */
export const compareResponseSchema = z.object({
  success: z.literal(true),
  source: z.object({ centrifuge: z.string(), rpm: z.number(), g_force: z.number(), name: z.string() }),
  equivalent: z.record(z.string(), z.object({ rpm: int, g_force: z.number(), name: z.string(), within_limits: z.boolean() })),
});
export type CompareResponse = z.infer<typeof compareResponseSchema>;

/** GET /api/centrifuge/curve-data. */
export const curveDataResponseSchema = z.object({
  success: z.literal(true),
  centrifuge: z.string(),
  data: z.array(z.object({ rpm: z.number(), g_force: z.number() })),
  radius_inches: z.number(),
  min_rpm: int,
  max_rpm: int,
});
export type CurveDataResponse = z.infer<typeof curveDataResponseSchema>;

/** POST /api/centrifuge/impulse-calculate. */
export const impulseCalculateResponseSchema = z.object({
  success: z.literal(true),
  data: z.object({
    g_force: z.number(),
    impulse_newton_seconds: z.number(),
    impulse_zone: z.string(),
    impulse_zones: impulseZoneBandsSchema,
    rpm: z.number(),
    time_seconds: z.number(),
    weight_grams: z.number(),
    centrifuge_type: z.string(),
  }),
});
export type ImpulseCalculateResponse = z.infer<typeof impulseCalculateResponseSchema>;

/** GET /api/centrifuge/impulse-zones. */
export const impulseZonesResponseSchema = z.object({ success: z.literal(true), data: impulseZoneBandsSchema, unit: z.string() });
export type ImpulseZonesResponse = z.infer<typeof impulseZonesResponseSchema>;

/** POST /api/centrifuge/target-match: `recommended_rpm` (rpm mode) or `recommended_time` (time mode). */
export const targetMatchResponseSchema = z.object({
  success: z.literal(true),
  data: z.object({
    target_impulse: z.number(),
    adjust_mode: z.enum(["rpm", "time"]),
    recommended_rpm: int.optional(),
    recommended_time: int.optional(),
    rpm: z.number(),
    time_seconds: z.number(),
    achieved_impulse: z.number(),
    g_force: z.number(),
    impulse_zone: z.string(),
    /** False when a machine or time bound was hit (`limited_by` says which). */
    achievable: z.boolean(),
    limited_by: z.enum(["min_rpm", "max_rpm", "min_time", "max_time"]).nullable(),
    weight_grams: z.number(),
    centrifuge_type: z.string(),
  }),
});
export type TargetMatchResponse = z.infer<typeof targetMatchResponseSchema>;

/** POST /api/centrifuge/batch-comparison: one setting, the impulse of each fill weight. */
export const batchComparisonResponseSchema = z.object({
  success: z.literal(true),
  data: z.object({
    rpm: z.number(),
    time_seconds: z.number(),
    centrifuge_type: z.string(),
    g_force: z.number(),
    comparisons: z.array(z.object({ weight_grams: z.number(), impulse_newton_seconds: z.number(), impulse_zone: z.string() })),
  }),
});
export type BatchComparisonResponse = z.infer<typeof batchComparisonResponseSchema>;

/** One recorded run on a strain's timeline (runs of one batch share its `batch_number`). */
export const trendEntrySchema = z.object({
  batch_number: int,
  rpm: int,
  time_seconds: int,
  fill_gauge: z.number().nullable(),
  yield_percent: z.number().nullable(),
  batch_id: z.string().nullable(),
  size,
  cycles: int,
  fill_gauge_cycle2: z.number().nullable(),
  weight_check_pass_rate: z.number().nullable(),
  grind_size: grindSize.nullable(),
  days_since_harvest: int.nullable(),
  recorded_at: z.iso.datetime(),
});
export type TrendEntry = z.infer<typeof trendEntrySchema>;

/** GET /api/centrifuge/trends/{strain} and /api/centrifuge-trends/{strain}. */
export const trendsResponseSchema = z.object({
  strain: z.string(),
  has_data: z.boolean(),
  timeline: z.array(trendEntrySchema),
  trend_analysis: z.object({
    rpm_trend: z.enum(["increasing", "decreasing", "stable", "insufficient_data"]),
    optimal_rpm: int.nullable(),
    average_rpm: int.nullable(),
    sample_size: int,
  }),
  recommendation: z
    .object({
      rpm: int,
      time_seconds: int,
      fill_gauge_cycle1: z.number().nullable(),
      confidence: z.number(),
      cycles: int,
      fill_gauge_cycle2: z.number().nullable(),
      confidence_level: confidenceLevelSchema,
      sample_size: int,
      source: z.enum(["learned", "computed"]),
    })
    .nullable(),
  filters: z.object({
    grind_size: grindSize.nullable(),
    days_since_harvest: int.nullable(),
    size: size.nullable(),
    target_batch: z.object({ id: z.string(), found: z.boolean() }).nullable(),
  }),
  /** Only when the strain has no runs. */
  message: z.string().optional(),
});
export type TrendsResponse = z.infer<typeof trendsResponseSchema>;

/** GET /api/centrifuge-history/{strain}: setting changes on the strain's batches, newest first. */
export const centrifugeHistoryResponseSchema = z.object({
  strain: z.string(),
  history: z.array(
    z.object({
      batch_id: z.string(),
      strain: z.string().nullable(),
      timestamp: z.iso.datetime(),
      field: z.string(),
      /** The field without its size path (`centrifuge_rpm`). */
      setting: z.string(),
      size: z.string().nullable(),
      old_value: z.string().nullable(),
      new_value: z.string().nullable(),
      actor: z.string(),
    }),
  ),
  total_changes: int,
});
export type CentrifugeHistoryResponse = z.infer<typeof centrifugeHistoryResponseSchema>;
