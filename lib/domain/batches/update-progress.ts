import { z } from "zod";
import type { Batch } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/context";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { recordCounts } from "@/lib/domain/batches/record-counts";
import { countsSince, todayStart, type PerSize } from "@/lib/domain/batches/production-history";
import type { ProgressData, UpdateProgressResponse } from "@/lib/domain/batches/batch-response";

const count = z.number().int().min(0).max(10_000_000);

/** The legacy Plan page's save: all three running totals, each required. */
export const updateProgressSchema = z.strictObject({
  counts_0_5: count,
  counts_0_7: count,
  counts_1_0: count,
});
export type UpdateProgressInput = z.output<typeof updateProgressSchema>;

const pct = (actual: number, planned: number) => (planned > 0 ? Math.round((actual / planned) * 1000) / 10 : 0);

/**
 * The contract's `data` block: counts, plan, progress % per size and overall (1 decimal; 0 when
 * nothing is planned; not capped at 100, over-production shows), and today's units per size —
 * net CountEntry deltas of this batch since local midnight.
 */
export function progressData(batch: Batch, today: PerSize): ProgressData {
  const data: Record<string, number> = {};
  let totalActual = 0;
  let totalPlanned = 0;
  for (const s of sizes) {
    data[`counts_${s}`] = batch[`counts_${s}`];
    data[`planned_${s}`] = batch[`planned_${s}`];
    totalActual += batch[`counts_${s}`];
    totalPlanned += batch[`planned_${s}`];
  }
  data.total_actual = totalActual;
  data.total_planned = totalPlanned;
  for (const s of sizes) data[`progress_${s}`] = pct(batch[`counts_${s}`], batch[`planned_${s}`]);
  data.overall_progress = pct(totalActual, totalPlanned);
  let todayTotal = 0;
  for (const s of sizes) {
    data[`today_${s}`] = today[s as Size];
    todayTotal += today[s as Size];
  }
  data.today_total = todayTotal;
  // Built key by key per size; batch-response.ts progressDataSchema lists the keys, and
  // tests/integration/wire-contract.test.ts checks a real response against it.
  return data as ProgressData;
}

/**
 * `POST /api/update-progress/{id}`: records the totals through `recordCounts` (count entries,
 * audit, `batch.counts_changed`, paper consumption, cached rate — one transaction), then answers
 * with the progress block.
 */
export async function updateProgress(ctx: ActorContext, id: string, input: UpdateProgressInput): Promise<UpdateProgressResponse> {
  const { batch } = await recordCounts(ctx, id, input);
  const today = await countsSince(await todayStart(), id);
  return { status: "success" as const, message: "Progress updated", data: progressData(batch, today) };
}
