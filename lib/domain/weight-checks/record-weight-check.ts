import type { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { recordWeightCheckSchema } from "@/lib/domain/weight-checks/weight-check-schema";
import { mutate } from "@/lib/db/mutate";
import { ApiError } from "@/lib/http/errors";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { readSettings } from "@/lib/domain/settings/settings";
import type { Size } from "@/lib/domain/batches/constants";
import { analyseSample, sizeLabel, type SampleAnalysis } from "@/lib/domain/weight-checks/weight-math";
import { countOf, logField, parseWeightLog, sizeColumns, yieldFor, type WeightLogEntry } from "@/lib/domain/weight-checks/weight-log";
import type { WeightCheckAnalysis as WeightCheckAnalysisJson } from "@/lib/domain/weight-checks/weight-check-response";

export { recordWeightCheckSchema, weightSizeSchema } from "@/lib/domain/weight-checks/weight-check-schema";
export type RecordWeightCheckInput = z.output<typeof recordWeightCheckSchema>;

/** `analysis` on the wire: the type of weightCheckAnalysisSchema (weight-check-response.ts), which this must satisfy. */
export interface WeightCheckAnalysis extends SampleAnalysis, WeightCheckAnalysisJson {
  check_id: number;
  size: Size;
  size_label: string;
  sample_weight: number;
  sample_units: number;
  count_at_measurement: number;
  /** Running yield of the size after this check (%; 0 = counts or weights missing). */
  running_yield: number;
  /** Estimated flower grams used so far for the size. */
  grams_used_estimate: number;
  /** The size's current count, which the running yield covers. */
  units_counted: number;
  recorded_at: string;
}

/**
 * Records one weight check: a WeightCheck row, an entry appended to the size's weight log, the
 * size's running yield and last-check count/date, audit rows, `weight_check.recorded` and — when
 * the flower weight leaves the tolerance band — `weight_check.out_of_tolerance`, all in one
 * transaction (definitions in weight-math.ts). Settings (tare, tolerance) are read inside it.
 */
export async function recordWeightCheck(ctx: ActorContext, id: string, input: RecordWeightCheckInput): Promise<WeightCheckAnalysis> {
  return mutate(ctx, async (m) => {
    const batch = await loadBatch(m.tx, id);
    const settings = await readSettings(m.tx);
    const size = input.size;
    const tare = settings.tare_weights[size];
    const tolerance = settings.weight_tolerance_percent;

    if (input.sample_weight / input.sample_units <= tare) {
      const message = `A ${sizeLabel(size)} pre-roll must weigh more than its empty cone (${tare} g); check the sample weight and units`;
      throw new ApiError(400, "validation_failed", "Invalid value for sample_weight", {
        location: "body",
        fields: { sample_weight: [message] },
      });
    }

    const analysis = analyseSample({
      size,
      sampleWeight: input.sample_weight,
      sampleUnits: input.sample_units,
      tare,
      tolerancePercent: tolerance,
    });
    const count = input.count_at_measurement ?? countOf(batch, size);

    const check = await m.tx.weightCheck.create({
      data: {
        batch_id: id,
        size,
        sample_weight: input.sample_weight,
        sample_units: input.sample_units,
        count_at_measurement: count,
        unit_weight: analysis.unit_weight,
        target_weight: analysis.target_weight,
        within_tolerance: analysis.within_tolerance,
        actor: ctx.actor,
        recorded_at: m.now,
      },
    });

    const entry: WeightLogEntry = {
      check_id: check.id,
      timestamp: m.now.toISOString(),
      sample_weight: input.sample_weight,
      sample_units: input.sample_units,
      unit_weight: analysis.unit_weight,
      tare_weight: tare,
      flower_weight: analysis.flower_weight,
      target_weight: analysis.target_weight,
      deviation_percent: analysis.deviation_percent,
      count,
      within_tolerance: analysis.within_tolerance,
      status: analysis.status,
      actor: ctx.actor,
    };
    const log = [...parseWeightLog(batch[logField(size)], size, { tare, tolerancePercent: tolerance }), entry];
    const columns = sizeColumns(batch, size, log);
    await m.tx.batch.update({ where: { id }, data: columns });
    const yieldNow = yieldFor(batch, size, log);

    await m.audit({
      entity: "weight_check",
      entityId: String(check.id),
      label: batch.strain,
      before: null,
      after: {
        batch_id: id,
        size,
        sample_weight: input.sample_weight,
        sample_units: input.sample_units,
        count_at_measurement: count,
        unit_weight: analysis.unit_weight,
        flower_weight: analysis.flower_weight,
        deviation_percent: analysis.deviation_percent,
        status: analysis.status,
      },
    });
    // The log itself is not audited field by field (it would copy the whole array each time);
    // the weight_check rows above are its audit trail.
    const { [logField(size)]: _log, ...batchAfter } = columns;
    void _log;
    await m.audit({ entity: "batch", entityId: id, label: batch.strain, before: batch, after: batchAfter });

    await m.emit("weight_check.recorded", {
      batch_id: id,
      strain: batch.strain,
      size,
      unit_weight: analysis.unit_weight,
      target_weight: analysis.target_weight,
      within_tolerance: analysis.within_tolerance,
      check_id: check.id,
      flower_weight: analysis.flower_weight,
      deviation_percent: analysis.deviation_percent,
      status: analysis.status,
      count_at_measurement: count,
      running_yield: yieldNow.running_yield,
    });
    if (analysis.status !== "good") {
      await m.emit("weight_check.out_of_tolerance", {
        batch_id: id,
        strain: batch.strain,
        size,
        unit_weight: analysis.unit_weight,
        target_weight: analysis.target_weight,
        deviation_percent: analysis.deviation_percent,
        check_id: check.id,
        flower_weight: analysis.flower_weight,
        tolerance_percent: tolerance,
        status: analysis.status,
      });
    }

    return {
      check_id: check.id,
      size,
      size_label: sizeLabel(size),
      sample_weight: input.sample_weight,
      sample_units: input.sample_units,
      count_at_measurement: count,
      ...analysis,
      running_yield: yieldNow.running_yield,
      grams_used_estimate: yieldNow.grams_used_estimate,
      units_counted: yieldNow.units,
      recorded_at: m.now.toISOString(),
    };
  });
}
