import { z } from "zod";
import { grindSizes, packagingStatuses, sizes, stageNames, testingStatuses } from "@/lib/domain/batches/constants";

/**
 * Response schemas of the batch routes (the wire contract), beside the request schemas in
 * batch-schema.ts. Imported by browser code: zod and pure constants only — never Prisma or the
 * database. `z.object` (not strict) so a field the server adds later does not break an old
 * client; tests/integration/wire-contract.test.ts parses the real responses with these and
 * reports unknown keys too, so every field the server emits is listed here.
 *
 * Conventions: dates are ISO strings (`toISOString()`), the legacy flags are 0/1 numbers,
 * nullable columns are `.nullable()`, JSON columns are typed as their writers store them.
 */

const size = z.enum(sizes);
const isoDateTime = z.iso.datetime();
const int = z.number().int();
/** The legacy system's INTEGER 0/1 flags (ApexAPI reads numbers). */
const flag = z.literal([0, 1]);

/** `stage_name`: the stage's name, "Unknown" for a stage outside 0–7. */
export const stageNameSchema = z.enum([...stageNames, "Unknown"]);
export type StageName = z.infer<typeof stageNameSchema>;

export const weightStatusSchema = z.enum(["good", "warning", "bad"]);

/**
 * One entry of `weight_log_<size>`, as lib/domain/weight-checks/weight-log.ts writes it (every
 * write goes through `parseWeightLog`, so all fields are present). `timestamp` is a plain string:
 * a legacy entry without one is kept as "".
 */
export const weightLogEntrySchema = z.object({
  /** The WeightCheck row; null for entries imported from the legacy system. */
  check_id: int.nullable(),
  timestamp: z.string(),
  sample_weight: z.number(),
  sample_units: z.number(),
  unit_weight: z.number(),
  tare_weight: z.number(),
  flower_weight: z.number(),
  target_weight: z.number(),
  deviation_percent: z.number(),
  count: z.number(),
  within_tolerance: z.boolean(),
  status: weightStatusSchema,
  actor: z.string(),
});
export type WeightLogEntry = z.infer<typeof weightLogEntrySchema>;

/**
 * `mass_balance` (added field, derived; lib/domain/batches/mass-balance.ts): input grams = product
 * grams (units × measured fill, nominal where a size has no weight check) + lab samples + waste +
 * remainder + gap. Whether the gap is within tolerance compares |gap_percent| with the
 * `mass_balance_tolerance_percent` setting (GET /api/settings).
 */
export const massBalanceSchema = z.object({
  product_grams: z.number(),
  accounted_grams: z.number(),
  /** Input − accounted: positive = grams not accounted for. */
  gap_grams: z.number(),
  /** Of the input grams; null when the batch has none. */
  gap_percent: z.number().nullable(),
  fill_basis: z.enum(["measured", "nominal", "mixed", "none"]),
});
export type MassBalanceJson = z.infer<typeof massBalanceSchema>;

/** One size's entry of `centrifuge_settings_by_size` (only the fields that were saved for it). */
export const sizeCentrifugeSettingsSchema = z.object({
  centrifuge_rpm: int.nullable().optional(),
  centrifuge_time_seconds: int.nullable().optional(),
  centrifuge_cycles: int.nullable().optional(),
  centrifuge_fill_gauge_cycle1: z.number().nullable().optional(),
  centrifuge_fill_gauge_cycle2: z.number().nullable().optional(),
  centrifuge_machine: z.string().nullable().optional(),
});
export type SizeCentrifugeSettings = z.infer<typeof sizeCentrifugeSettingsSchema>;

/** `rate_history` entries: one per count change, `rate` = slope so far (null for the first). */
export const rateHistoryEntrySchema = z.object({ timestamp: isoDateTime, rate: z.number().nullable(), total_count: int });
export type RateHistoryEntry = z.infer<typeof rateHistoryEntrySchema>;

export const rateTrendSchema = z.enum(["increasing", "decreasing", "stable"]);

/** `rate_metrics` as lib/domain/batches/rate/production-rate.ts stores it. */
export const rateMetricsSchema = z.object({
  average_rate: z.number().nullable(),
  peak_rate: z.number().nullable(),
  trend: rateTrendSchema,
  current_rate: z.number().nullable(),
  data_points: int,
  working_hours: z.number(),
  trend_window: int,
});
export type RateMetrics = z.infer<typeof rateMetricsSchema>;

/** `production_sessions`: entering "In progress" opens one, leaving it closes it. */
export const productionSessionSchema = z.object({ start: isoDateTime, end: isoDateTime.nullable() });

/**
 * A batch as `serializeBatch` emits it (GET /api/data and the other batch responses): every
 * column of the Batch model except the internal `last_inventory_consumed_*`, plus the derived
 * `stage_name`, `total_count` and `days_in_stage`. `rate_history` only where asked for
 * (`include_history=true`, GET /api/batches/{id}).
 */
export const batchSchema = z.object({
  id: z.string(),
  strain: z.string(),
  input_grams: z.number(),
  target_grams_each: z.number(),
  produced: int,
  grams_used: z.number(),
  grams_ground: z.number(),
  stage: int,
  stage_entered_at: isoDateTime,

  counts_0_5: int,
  counts_0_7: int,
  counts_1_0: int,
  planned_0_5: int,
  planned_0_7: int,
  planned_1_0: int,
  plan_use_grams: z.number(),
  labels_printed: int,
  display_order: int,

  production_start_time: isoDateTime.nullable(),
  production_end_time: isoDateTime.nullable(),
  production_duration_hours: z.number().nullable(),
  archived: flag,
  archived_at: isoDateTime.nullable(),

  /** YYYY-MM-DD. */
  harvest_date: z.string().nullable(),
  bay_number: z.string().nullable(),
  thc_percent: z.number().nullable(),
  thca_percent: z.number().nullable(),
  tac_percent: z.number().nullable(),
  cbd_percent: z.number().nullable(),
  origin_metrc_number: z.string().nullable(),
  new_metrc_created: flag,
  new_metrc_number: z.string().nullable(),
  metrc_transferred: flag,
  metrc_batch_created: flag,

  centrifuge_rpm: int.nullable(),
  centrifuge_time_seconds: int.nullable(),
  centrifuge_cycles: int.nullable(),
  centrifuge_fill_gauge_cycle1: z.number().nullable(),
  centrifuge_fill_gauge_cycle2: z.number().nullable(),
  centrifuge_machine: z.string().nullable(),
  centrifuge_settings_by_size: z.partialRecord(size, sizeCentrifugeSettingsSchema).nullable(),

  testing_status: z.enum(testingStatuses),
  test_package_id: z.string().nullable(),
  testing_lab: z.string().nullable(),
  /** YYYY-MM-DD. */
  test_date: z.string().nullable(),
  test_results: z.string().nullable(),
  testing_notes: z.string().nullable(),

  packaging_status: z.enum(packagingStatuses),
  packaging_blocker_type: z.string().nullable(),
  packaging_notes: z.string().nullable(),
  packaging_blocked_since: isoDateTime.nullable(),

  /** Units per working hour. */
  cached_production_rate: z.number().nullable(),
  rate_calculation_time: isoDateTime.nullable(),
  /** Only with `include_history=true` (and on GET /api/batches/{id}). Null until counted. */
  rate_history: z.array(rateHistoryEntrySchema).nullable().optional(),
  rate_metrics: rateMetricsSchema.nullable(),
  last_rate_update: isoDateTime.nullable(),
  /** Null until the batch first enters "In progress". */
  production_sessions: z.array(productionSessionSchema).nullable(),
  current_session_start: isoDateTime.nullable(),
  total_work_hours: z.number(),

  paper_size_override: size.nullable(),
  is_infused: flag,
  source_materials: z.array(z.string()).nullable(),

  /** Null until the size's first weight check. */
  weight_log_0_5: z.array(weightLogEntrySchema).nullable(),
  weight_log_0_7: z.array(weightLogEntrySchema).nullable(),
  weight_log_1_0: z.array(weightLogEntrySchema).nullable(),
  running_yield_0_5: z.number(),
  running_yield_0_7: z.number(),
  running_yield_1_0: z.number(),
  last_weight_check_count_0_5: int,
  last_weight_check_count_0_7: int,
  last_weight_check_count_1_0: int,
  last_weight_check_date_0_5: isoDateTime.nullable(),
  last_weight_check_date_0_7: isoDateTime.nullable(),
  last_weight_check_date_1_0: isoDateTime.nullable(),
  final_weight_0_5: z.number(),
  final_weight_0_7: z.number(),
  final_weight_1_0: z.number(),
  grind_size: z.enum(grindSizes).nullable(),

  packaged_singles: int,
  packaged_6_packs: int,
  packaged_12_packs: int,
  loose_tupperware: int,

  lab_sample_grams: z.number(),
  waste_grams: z.number(),
  remainder_grams: z.number(),

  created_at: isoDateTime,
  updated_at: isoDateTime,

  // Derived.
  stage_name: stageNameSchema,
  total_count: int,
  days_in_stage: int,
  mass_balance: massBalanceSchema,
});
export type Batch = z.infer<typeof batchSchema>;
export type BatchResponse = Batch;

/** A batch with `rate_history` present (GET /api/batches/{id}). */
export const batchWithHistorySchema = batchSchema.required({ rate_history: true });
export type BatchWithHistory = z.infer<typeof batchWithHistorySchema>;

/** GET /api/data (active, display order) and GET /api/archive (archived, newest first): a JSON array. */
export const batchListSchema = z.array(batchSchema);
export type BatchList = z.infer<typeof batchListSchema>;

/** Units counted today (since local midnight, net of corrections) per size and in total. */
export const todayCountsSchema = z.object({ "0_5": int, "0_7": int, "1_0": int, total: int });
export type TodayCounts = z.infer<typeof todayCountsSchema>;

/**
 * GET /api/batches/{id}: `{batch, today}`. The server always includes `rate_history` in the batch
 * here (batchWithHistorySchema); the field stays optional in the type so a list item can stand in
 * for the detail while it loads.
 */
export const batchDetailResponseSchema = z.object({ batch: batchSchema, today: todayCountsSchema });
export type BatchDetailResponse = z.infer<typeof batchDetailResponseSchema>;

/** POST /api/batches (201): `{success, batch}`. */
export const batchSaveResponseSchema = z.object({ success: z.literal(true), batch: batchSchema });
export type BatchSaveResponse = z.infer<typeof batchSaveResponseSchema>;

/** PATCH /api/batches/{id}: `{success, batch, adjusted}` — `adjusted` when a plan in the patch was capped to the grams (as POST …/plan). */
export const batchUpdateResponseSchema = batchSaveResponseSchema.extend({ adjusted: z.boolean() });
export type BatchUpdateResponse = z.infer<typeof batchUpdateResponseSchema>;

/** POST /api/batches/{id}/stage: `{success, batch}` — the batch after the move (sessions, rate refreshed). */
export const stageChangeResponseSchema = batchSaveResponseSchema;
export type StageChangeResponse = BatchSaveResponse;

/** DELETE /api/batches/{id} (admin). */
export const batchDeleteResponseSchema = z.object({ success: z.literal(true), message: z.string() });

/** GET /api/batch/{id}/rate-history: the contract's fields plus the ETA to the plan. */
export const rateHistoryResponseSchema = z.object({
  batch_id: z.string(),
  strain: z.string(),
  stage: int,
  stage_name: stageNameSchema,
  rate_history: z.array(rateHistoryEntrySchema),
  /** A batch never counted has only the contract's three fields (`{average_rate:null, peak_rate:null, trend:"stable"}`). */
  rate_metrics: rateMetricsSchema.partial({ current_rate: true, data_points: true, working_hours: true, trend_window: true }),
  cached_production_rate: z.number().nullable(),
  total_count: int,
  total_planned: int,
  /** Planned units not yet counted; null without a plan. */
  remaining_units: int.nullable(),
  eta_working_hours: z.number().nullable(),
  estimated_completion: isoDateTime.nullable(),
  rate_calculation_time: isoDateTime.nullable(),
  last_rate_update: isoDateTime.nullable(),
});
export type RateHistoryResponse = z.infer<typeof rateHistoryResponseSchema>;

/** GET /api/overview: ApexAPI's connection test and the dashboard's summary. */
export const overviewResponseSchema = z.object({
  /** Every stage name → active batches there (all eight always present). */
  stage_counts: z.record(z.enum(stageNames), int),
  production_stats: z.object({ today_total: int, today_0_5: int, today_0_7: int, today_1_0: int }),
  priority_batches: z.array(z.object({ id: z.string(), strain: z.string(), stage: int, stage_name: stageNameSchema, days_in_stage: int })),
  total_active: int,
});
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

/**
 * `{timestamp}` of GET /api/batches/last-updated (newest batch audit row) and
 * GET /api/finished-goods/last-updated (newest history row); null on an empty database.
 */
export const lastUpdatedResponseSchema = z.object({ timestamp: isoDateTime.nullable() });
export type LastUpdatedResponse = z.infer<typeof lastUpdatedResponseSchema>;

/** POST /api/batch/{id}/counts. */
export const countsResponseSchema = z.object({ ok: z.literal(true) });
export type CountsResponse = z.infer<typeof countsResponseSchema>;

/** `data` of POST /api/update-progress/{id}: progress in % (1 decimal, not capped at 100). */
export const progressDataSchema = z.object({
  counts_0_5: int,
  planned_0_5: int,
  counts_0_7: int,
  planned_0_7: int,
  counts_1_0: int,
  planned_1_0: int,
  total_actual: int,
  total_planned: int,
  progress_0_5: z.number(),
  progress_0_7: z.number(),
  progress_1_0: z.number(),
  overall_progress: z.number(),
  today_0_5: int,
  today_0_7: int,
  today_1_0: int,
  today_total: int,
});
export type ProgressData = z.infer<typeof progressDataSchema>;

/** POST /api/update-progress/{id}. */
export const updateProgressResponseSchema = z.object({ status: z.literal("success"), message: z.string(), data: progressDataSchema });
export type UpdateProgressResponse = z.infer<typeof updateProgressResponseSchema>;

/** POST /api/batch/{id}/plan: the plan as saved, `adjusted` when it was capped to the grams. */
export const planResponseSchema = z.object({
  ok: z.literal(true),
  adjusted: z.boolean(),
  planned_0_5: int,
  planned_0_7: int,
  planned_1_0: int,
});
export type PlanResponse = z.infer<typeof planResponseSchema>;

/** GET /api/allocation-preview?weight=G: what G grams make under the allocation setting. */
export const allocationPreviewResponseSchema = z.object({
  /** Percent of the grams per size (0.5 g, 0.7 g, 1.0 g). */
  allocation: z.tuple([z.number(), z.number(), z.number()]),
  counts_0_5: int,
  counts_0_7: int,
  counts_1_0: int,
  total_units: int,
  /** Grams the units take. */
  expected_output: z.number(),
  weight: z.number(),
});
export type AllocationPreviewResponse = z.infer<typeof allocationPreviewResponseSchema>;

/** POST /api/reorder. */
export const reorderResponseSchema = z.object({ status: z.literal("success") });
export type ReorderResponse = z.infer<typeof reorderResponseSchema>;

/** POST /api/archive/{id} and /api/public/archive/{id}. */
export const archiveResponseSchema = z.object({ status: z.literal("success"), action: z.enum(["archived", "unarchived"]) });
export type ArchiveResponse = z.infer<typeof archiveResponseSchema>;

/** GET /api/production-history?days=N: one row per day, oldest first, net units (may be negative after corrections). */
export const productionHistoryResponseSchema = z.object({
  days: int,
  daily_production: z.array(z.object({ date: z.iso.date(), total: int, "0_5": int, "0_7": int, "1_0": int })),
});
export type ProductionHistoryResponse = z.infer<typeof productionHistoryResponseSchema>;

export const historicalRateSchema = z.object({
  batch_id: z.string(),
  strain: z.string(),
  rate: z.number(),
  total_count: int,
  work_hours: z.number(),
  completed_at: isoDateTime,
});

/** GET /api/strain/{strain}/rate-projection: `has_data` tells the two shapes apart. */
export const rateProjectionResponseSchema = z.discriminatedUnion("has_data", [
  z.object({
    strain_name: z.string(),
    has_data: z.literal(true),
    projected_rate: z.number().nullable(),
    /** 0–1. */
    confidence: z.number(),
    sample_size: int,
    historical_rates: z.array(historicalRateSchema),
    /** The spellings of the strain that matched (case/space-insensitive). */
    matched_strains: z.array(z.string()),
  }),
  z.object({ strain_name: z.string(), has_data: z.literal(false), message: z.string() }),
]);
export type RateProjectionResponse = z.infer<typeof rateProjectionResponseSchema>;
