import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { notFound } from "@/lib/http/errors";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { readSettings } from "@/lib/domain/settings/settings";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { logField, parseWeightLog, sizeColumns, yieldFor } from "@/lib/domain/weight-checks/weight-log";

export const weightCheckParams = z.strictObject({
  id: z.string().min(1).max(100),
  check_id: z.coerce.number({ error: "check_id must be a weight check number" }).int().positive(),
});

export const deleteWeightCheckSchema = z.strictObject({
  /** Why the check was wrong ("typed 55 for 5.5"); kept in the audit trail and the event. */
  reason: z.string().trim().max(500).nullish(),
});

export interface DeleteWeightCheckResult {
  success: true;
  deleted_check_id: number;
  size: Size;
  running_yield: number;
  grams_used_estimate: number;
  checks_remaining: number;
}

/**
 * Removes a wrong weight check (admins only: operators cannot correct weights, as in the legacy
 * system, but a supervisor can). The WeightCheck row and its log entry go; the size's running
 * yield and last-check count/date are recomputed from what remains. The removed values stay in
 * the audit trail (each field old → null) and in the `weight_check.deleted` event.
 */
export async function deleteWeightCheck(
  ctx: ActorContext,
  batchId: string,
  checkId: number,
  reason: string | null,
): Promise<DeleteWeightCheckResult> {
  return mutate(ctx, async (m) => {
    const batch = await loadBatch(m.tx, batchId);
    const check = await m.tx.weightCheck.findFirst({ where: { id: checkId, batch_id: batchId } });
    if (!check) throw notFound("Weight check not found", "weight_check_not_found");
    const size = (sizes as readonly string[]).includes(check.size) ? (check.size as Size) : null;
    if (!size) throw notFound("Weight check not found", "weight_check_not_found");

    const settings = await readSettings(m.tx);
    const fallback = { tare: settings.tare_weights[size], tolerancePercent: settings.weight_tolerance_percent };
    const log = parseWeightLog(batch[logField(size)], size, fallback).filter((e) => e.check_id !== checkId);
    const columns = sizeColumns(batch, size, log);

    await m.tx.weightCheck.delete({ where: { id: checkId } });
    await m.tx.batch.update({ where: { id: batchId }, data: columns });
    const yieldNow = yieldFor(batch, size, log);

    await m.audit({
      entity: "weight_check",
      entityId: String(checkId),
      label: batch.strain,
      before: {
        size,
        sample_weight: check.sample_weight,
        sample_units: check.sample_units,
        count_at_measurement: check.count_at_measurement,
        unit_weight: check.unit_weight,
        deleted: false,
        deletion_reason: null,
      },
      after: {
        size: null,
        sample_weight: null,
        sample_units: null,
        count_at_measurement: null,
        unit_weight: null,
        deleted: true,
        deletion_reason: reason,
      },
    });
    const { [logField(size)]: _log, ...batchAfter } = columns;
    void _log;
    await m.audit({ entity: "batch", entityId: batchId, label: batch.strain, before: batch, after: batchAfter });
    await m.emit("weight_check.deleted", {
      batch_id: batchId,
      strain: batch.strain,
      size,
      check_id: checkId,
      sample_weight: check.sample_weight,
      unit_weight: check.unit_weight,
      count_at_measurement: check.count_at_measurement,
      reason,
      running_yield: yieldNow.running_yield,
    });

    return {
      success: true as const,
      deleted_check_id: checkId,
      size,
      running_yield: yieldNow.running_yield,
      grams_used_estimate: yieldNow.grams_used_estimate,
      checks_remaining: log.length,
    };
  });
}
