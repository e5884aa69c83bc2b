import { z } from "zod";
import { urgencies } from "@/lib/domain/recommendations/formulas";

/**
 * Response schemas of the sales recommendations and snapshot routes (the wire contract).
 * Imported by browser code: zod only (formulas.ts's constants are pure). `z.object` (not strict)
 * so an added field does not break an old client; tests/integration/recommendations.test.ts
 * parses the real responses with these and reports unknown keys.
 */

const int = z.number().int();
const isoDateTime = z.iso.datetime();

export const urgencySchema = z.enum(urgencies);

/** One strain's recommendation (formulas.ts). */
export const recommendationSchema = z.object({
  strain: z.string(),
  total_inventory: z.number(),
  avg_sold_per_day: z.number(),
  /** Null when the strain does not sell. */
  days_until_stockout: z.number().nullable(),
  urgency: urgencySchema,
  /** 0–100, one decimal: higher = make it sooner. */
  priority_score: z.number(),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const combinedRecommendationSchema = recommendationSchema.extend({ store_count: int });
export const storeRecommendationSchema = recommendationSchema.extend({ store: z.string() });
export type StoreRecommendation = z.infer<typeof storeRecommendationSchema>;
/** A compared row: combined (with store_count) or one store's (with store). */
const snapshotRowSchema = recommendationSchema.extend({ store_count: int.optional(), store: z.string().optional() });

/** A snapshot's listing (history) fields. */
export const snapshotSummarySchema = z.object({
  timestamp: z.string(),
  files_processed: z.array(z.string()),
  strain_count: int,
  store_count: int,
  uploaded_by: z.string().nullable(),
  created_at: isoDateTime,
});
export type SnapshotSummary = z.infer<typeof snapshotSummarySchema>;

/** GET /api/recommendations (the latest) and GET /api/snapshots/{timestamp}. */
export const snapshotResponseSchema = snapshotSummarySchema.extend({
  data: z.object({ combined: z.array(combinedRecommendationSchema), stores: z.array(storeRecommendationSchema) }),
});
export type SnapshotResponse = z.infer<typeof snapshotResponseSchema>;

/** GET /api/snapshots/history, newest first. */
export const snapshotHistoryResponseSchema = z.object({ snapshots: z.array(snapshotSummarySchema) });
export type SnapshotHistoryResponse = z.infer<typeof snapshotHistoryResponseSchema>;

/** POST /api/recommendations/upload. */
export const uploadResponseSchema = z.object({
  success: z.literal(true),
  strain_count: int,
  store_count: int,
  timestamp: z.string(),
  rows_processed: int,
  files_processed: z.array(z.string()),
});
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

/** One bad row of a refused upload (`details.errors[]` of the 400 `invalid_csv`). */
export const csvRowErrorSchema = z.object({
  file: z.string(),
  line: int,
  column: z.string().optional(),
  message: z.string(),
});
export type CsvRowError = z.infer<typeof csvRowErrorSchema>;

/** `details` of the 400 `invalid_csv`: nothing was saved. */
export const uploadErrorDetailsSchema = z.object({
  error_count: int,
  errors: z.array(csvRowErrorSchema),
  truncated: z.boolean(),
  ignored_columns: z.record(z.string(), z.array(z.string())).optional(),
});
export type UploadErrorDetails = z.infer<typeof uploadErrorDetailsSchema>;

export const comparisonStatusSchema = z.enum(["new", "removed", "changed", "unchanged"]);
export type ComparisonStatus = z.infer<typeof comparisonStatusSchema>;

/** POST /api/snapshots/compare-detailed. */
export const compareResponseSchema = z.object({
  timestamp1: z.string(),
  timestamp2: z.string(),
  /** Null = every store (the combined view). */
  store_filter: z.string().nullable(),
  comparisons: z.array(
    z.object({
      strain: z.string(),
      status: comparisonStatusSchema,
      /** The strain's row in each snapshot (combined, or the filtered store's); null when absent. */
      old: snapshotRowSchema.nullable(),
      new: snapshotRowSchema.nullable(),
      changes: z.object({
        inventory_delta: z.number(),
        avg_sold_per_day_delta: z.number(),
        days_until_stockout_delta: z.number().nullable(),
        priority_score_delta: z.number(),
        urgency_from: urgencySchema.nullable(),
        urgency_to: urgencySchema.nullable(),
      }),
    }),
  ),
  summary: z.record(comparisonStatusSchema, int),
});
export type CompareResponse = z.infer<typeof compareResponseSchema>;

/** POST /api/snapshots/insights, most pressing first. */
export const insightsResponseSchema = z.object({
  timestamp1: z.string(),
  timestamp2: z.string(),
  insights: z.array(
    z.object({
      type: z.enum(["danger", "warning", "info", "success"]),
      title: z.string(),
      message: z.string(),
      strains: z.array(z.string()).optional(),
    }),
  ),
});
export type InsightsResponse = z.infer<typeof insightsResponseSchema>;

/** POST /api/snapshots/export-csv. */
export const exportResponseSchema = z.object({ csv: z.string(), filename: z.string() });
export type ExportResponse = z.infer<typeof exportResponseSchema>;
