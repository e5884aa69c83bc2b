import { db } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { getSettings } from "@/lib/domain/settings/settings";
import { sizes, STAGE, stageNames } from "@/lib/domain/batches/constants";
import { estimateCompletion, type Eta } from "@/lib/domain/batches/rate/production-rate";
import { computeBatchRate } from "@/lib/domain/batches/rate/refresh-rate";
import type { RateHistoryEntry, RateHistoryResponse, RateMetrics } from "@/lib/domain/batches/batch-response";

/**
 * `GET /api/batch/{id}/rate-history`: the contract's `{batch_id, strain, stage, rate_history,
 * rate_metrics, cached_production_rate}` from the cached columns, plus our additions: the ETA to
 * the plan (`remaining_units`, `eta_working_hours`, `estimated_completion`, computed now from the
 * cached rate and the work schedule — only while the batch is before "Finished"), `stage_name`,
 * `total_count`, `total_planned`, `rate_calculation_time`, `last_rate_update`.
 * A batch whose rate was never cached (imported, or counted before rates were cached) gets it
 * computed on the fly, read-only.
 */
export async function batchRateHistory(id: string, now = new Date()): Promise<RateHistoryResponse> {
  const batch = await db.batch.findUnique({ where: { id } });
  if (!batch) throw notFound("Batch not found", "batch_not_found");
  let history = batch.rate_history;
  let metrics = batch.rate_metrics;
  let rate = batch.cached_production_rate;
  if (batch.rate_calculation_time === null) {
    const computed = await computeBatchRate(db, id);
    history = computed.history as unknown as typeof history;
    metrics = computed.metrics as unknown as typeof metrics;
    rate = computed.rate;
  }
  const totalCount = sizes.reduce((s, k) => s + batch[`counts_${k}`], 0);
  const totalPlanned = sizes.reduce((s, k) => s + batch[`planned_${k}`], 0);
  const { work_schedule } = await getSettings();
  const eta: Eta =
    batch.stage < STAGE.FINISHED
      ? estimateCompletion({ totalCount, totalPlanned, rate, from: now }, work_schedule)
      : {
          remaining_units: totalPlanned > 0 ? Math.max(0, totalPlanned - totalCount) : null,
          eta_working_hours: null,
          estimated_completion: null,
        };
  return {
    batch_id: batch.id,
    strain: batch.strain,
    stage: batch.stage,
    stage_name: stageNames[batch.stage] ?? "Unknown",
    // JSON columns, written only by refreshProductionRate (RateResult's history and metrics).
    rate_history: (Array.isArray(history) ? history : []) as unknown as RateHistoryEntry[],
    rate_metrics: (metrics as unknown as RateMetrics | null) ?? { average_rate: null, peak_rate: null, trend: "stable" },
    cached_production_rate: rate,
    total_count: totalCount,
    total_planned: totalPlanned,
    ...eta,
    rate_calculation_time: batch.rate_calculation_time?.toISOString() ?? null,
    last_rate_update: batch.last_rate_update?.toISOString() ?? null,
  };
}
