import { z } from "zod";
import { stageNames } from "@/lib/domain/batches/constants";

/**
 * Response schema of GET /api/analytics (the desk analytics page's series that no other route
 * gives). Imported by browser code: zod and pure constants only.
 */

const int = z.number().int();

/** Wall-clock time batches spent in one stage inside the period. */
export const stageTimeSchema = z.object({
  stage: int,
  stage_name: z.enum(stageNames),
  /** Hours summed over every batch that was in the stage during the period (1 decimal). */
  total_hours: z.number(),
  /** Batches that spent any time in the stage during the period. */
  batch_count: int,
  /** total_hours ÷ batch_count (1 decimal); null when no batch was in the stage. */
  average_hours: z.number().nullable(),
});
export type StageTime = z.infer<typeof stageTimeSchema>;

/** Papers/cones consumed on one calendar day, per size. */
export const papersUsedDaySchema = z.object({ date: z.iso.date(), total: int, "0_5": int, "0_7": int, "1_0": int });
export type PapersUsedDay = z.infer<typeof papersUsedDaySchema>;

/** GET /api/analytics?days=N: time per stage and papers used per day over the last N days (today included). */
export const analyticsResponseSchema = z.object({
  days: int,
  since: z.iso.datetime(),
  stage_times: z.array(stageTimeSchema),
  papers_used: z.array(papersUsedDaySchema),
});
export type AnalyticsResponse = z.infer<typeof analyticsResponseSchema>;
