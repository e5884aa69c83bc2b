import { z } from "zod";
import { grindSizes, sizes } from "@/lib/domain/batches/constants";
import { sizeCentrifugeSettingsSchema } from "@/lib/domain/batches/batch-response";

/**
 * Response schemas of the centrifuge routes the Plan page reads (the wire contract). Imported by
 * browser code: zod and pure constants only. `z.object` (not strict) so an added field does not
 * break an old client; tests/integration/wire-contract.test.ts parses the real responses with
 * these and reports unknown keys, so every field the server emits is listed here.
 */

const size = z.enum(sizes);
const grindSize = z.enum(grindSizes);
const isoDateTime = z.iso.datetime();
const int = z.number().int();
export const priorityModeSchema = z.enum(["weight", "count"]);
export const confidenceLevelSchema = z.enum(["high", "medium", "low"]);

/** One size's recommendation; `has_data: false` carries the same keys, all empty. */
export const sizeRecommendationSchema = z.discriminatedUnion("has_data", [
  z.object({
    size,
    has_data: z.literal(true),
    rpm: int,
    time_seconds: int,
    cycles: int,
    fill_gauge_cycle1: z.number().nullable(),
    fill_gauge_cycle2: z.number().nullable(),
    /** 0–1 (never reaches 1). */
    confidence: z.number(),
    confidence_level: confidenceLevelSchema,
    sample_size: int,
    /** `learned`: the learning processor's stored row answered; `computed`: worked out for this question. */
    source: z.enum(["learned", "computed"]),
    /** When the stored row was computed; null for `computed`. */
    updated_at: isoDateTime.nullable(),
    /** Which outcomes were used: the asked grind, any grind (the asked one had none), or all (no grind asked). */
    match: z.enum(["exact_grind", "any_grind", "all_grinds"]),
  }),
  z.object({
    size,
    has_data: z.literal(false),
    rpm: z.null(),
    time_seconds: z.null(),
    cycles: z.null(),
    fill_gauge_cycle1: z.null(),
    fill_gauge_cycle2: z.null(),
    confidence: z.number(),
    confidence_level: confidenceLevelSchema,
    sample_size: int,
    source: z.null(),
    updated_at: z.null(),
    match: z.null(),
  }),
]);
export type SizeRecommendation = z.infer<typeof sizeRecommendationSchema>;

/** GET /api/centrifuge-recommendations-unified/{strain}: one recommendation per size (all three always). */
export const unifiedRecommendationsResponseSchema = z.object({
  success: z.literal(true),
  strain: z.string(),
  has_data: z.boolean(),
  priority_mode: priorityModeSchema,
  temporal: z.boolean(),
  grind_size: grindSize.nullable(),
  days_since_harvest: int.nullable(),
  target_batch: z.object({ id: z.string(), found: z.boolean() }).nullable(),
  recommendations: z.record(size, sizeRecommendationSchema),
});
export type UnifiedRecommendationsResponse = z.infer<typeof unifiedRecommendationsResponseSchema>;

/** A recorded centrifuge run and its result (every column of CentrifugeOutcome). */
export const centrifugeOutcomeSchema = z.object({
  id: int,
  batch_id: z.string().nullable(),
  strain: z.string(),
  size,
  machine: z.string(),
  rpm: int,
  time_seconds: int,
  cycles: int,
  fill_gauge_cycle1: z.number().nullable(),
  fill_gauge_cycle2: z.number().nullable(),
  grind_size: grindSize.nullable(),
  days_since_harvest: int.nullable(),
  yield_percent: z.number().nullable(),
  weight_check_pass_rate: z.number().nullable(),
  priority_mode: priorityModeSchema,
  notes: z.string().nullable(),
  actor: z.string(),
  recorded_at: isoDateTime,
  /** When the learning processor used it; null until then. */
  processed_at: isoDateTime.nullable(),
});
export type CentrifugeOutcome = z.infer<typeof centrifugeOutcomeSchema>;

/** POST /api/centrifuge/outcomes (201). */
export const centrifugeOutcomeResponseSchema = z.object({ success: z.literal(true), outcome: centrifugeOutcomeSchema });
export type CentrifugeOutcomeResponse = z.infer<typeof centrifugeOutcomeResponseSchema>;

/** GET /api/centrifuge/outcomes: newest first; `total` counts every match, `outcomes` at most `limit`. */
export const centrifugeOutcomeListResponseSchema = z.object({
  success: z.literal(true),
  strain: z.string().nullable(),
  outcomes: z.array(centrifugeOutcomeSchema),
  total: int,
});
export type CentrifugeOutcomeListResponse = z.infer<typeof centrifugeOutcomeListResponseSchema>;

/**
 * POST /api/batch/{id}/centrifuge: `status` (contract) plus what was saved — with `size`, the
 * size's whole entry of `centrifuge_settings_by_size`; without, the batch-wide fields sent.
 */
export const batchCentrifugeResponseSchema = z.object({
  status: z.literal("success"),
  batch_id: z.string(),
  size: size.nullable(),
  changed_fields: z.array(z.string()),
  settings: sizeCentrifugeSettingsSchema,
});
export type BatchCentrifugeResponse = z.infer<typeof batchCentrifugeResponseSchema>;

/** A machine of the `centrifuge_machines` setting, as the settings guide lists it. */
export const centrifugeMachineSchema = z.object({
  id: z.string(),
  name: z.string(),
  radius_inches: z.number(),
  min_rpm: int,
  max_rpm: int,
});
export type CentrifugeMachine = z.infer<typeof centrifugeMachineSchema>;

/** Ascending rpm ceilings (setting `centrifuge_safety_zones`). */
export const safetyZoneSchema = z.object({ key: z.string(), label: z.string(), max_rpm: int });

/** GET /api/centrifuge/settings-guide: ranges for a material, the rpm zones, impulse zones and the machines. */
export const settingsGuideResponseSchema = z.object({
  success: z.literal(true),
  /** The guide used ("standard" for an unknown material). */
  material: z.string(),
  requested_material: z.string(),
  recommendations: z.object({
    rpm_range: z.object({ min: int, max: int }),
    time_range_seconds: z.object({ min: int, max: int }),
    cycles: int,
    notes: z.string(),
    /** Machine id → g-force at both ends of the range and the impulse on 1 g over the time range. */
    per_machine: z.record(
      z.string(),
      z.object({ g_force_min: z.number(), g_force_max: z.number(), impulse_1g_min: z.number(), impulse_1g_max: z.number() }),
    ),
  }),
  safety_zones: z.array(safetyZoneSchema),
  /** Zone key → band in N·s. */
  impulse_zones: z.record(z.string(), z.object({ min: z.number(), max: z.number(), label: z.string(), description: z.string() })),
  /** Machine id → machine: the machine list. */
  centrifuges: z.record(z.string(), centrifugeMachineSchema),
});
export type SettingsGuideResponse = z.infer<typeof settingsGuideResponseSchema>;
/** The machine list is the settings guide's `centrifuges`. */
export const centrifugeMachinesResponseSchema = settingsGuideResponseSchema;

/** POST /api/learning/run: centrifuge outcomes folded into the learned settings now (0 and [] when none were pending). */
export const learningRunResponseSchema = z.object({
  success: z.literal(true),
  outcomes_processed: z.number().int(),
  strains: z.array(z.string()),
});
