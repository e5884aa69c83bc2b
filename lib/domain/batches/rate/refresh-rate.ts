import type { Batch } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db/client";
import type { Mutation } from "@/lib/db/mutate";
import { readSettings } from "@/lib/domain/settings/settings";
import { computeRate, type RateResult } from "@/lib/domain/batches/rate/production-rate";

/**
 * The cached production rate of a batch (`cached_production_rate`, `rate_history`,
 * `rate_metrics`, `rate_calculation_time`, `last_rate_update`), recomputed from its CountEntry
 * rows inside the caller's transaction — after counts change and on stage changes — so readers
 * (`/api/data`, rate-history, projections) never compute it. Derived data: no audit row, no event
 * of its own (the change that caused it has both).
 *
 * `rate_calculation_time` = when these values were last computed; `last_rate_update` = when the
 * rate value itself last changed.
 */
export async function computeBatchRate(tx: Pick<Tx, "countEntry" | "setting">, batchId: string): Promise<RateResult> {
  const rows = await tx.countEntry.findMany({
    where: { batch_id: batchId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { size: true, total_after: true, at: true },
  });
  const { work_schedule } = await readSettings(tx);
  return computeRate(rows, work_schedule);
}

export async function refreshProductionRate(
  m: Pick<Mutation, "tx" | "now">,
  batch: Pick<Batch, "id" | "cached_production_rate" | "last_rate_update">,
): Promise<Batch> {
  const result = await computeBatchRate(m.tx, batch.id);
  const rateChanged = result.rate !== batch.cached_production_rate;
  return m.tx.batch.update({
    where: { id: batch.id },
    data: {
      cached_production_rate: result.rate,
      rate_history: result.history as unknown as object[],
      rate_metrics: result.metrics as unknown as object,
      rate_calculation_time: m.now,
      last_rate_update: rateChanged ? m.now : batch.last_rate_update,
    },
  });
}
