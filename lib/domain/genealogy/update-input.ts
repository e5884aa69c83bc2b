import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import type { UpdateInputBody } from "@/lib/domain/genealogy/input-schema";
import type { BatchInputChangeResponse } from "@/lib/domain/genealogy/genealogy-response";
import { inputSummary, serializeInput } from "@/lib/domain/genealogy/input-summary";
import { loadInput, loadOpenBatch } from "@/lib/domain/genealogy/load-input";

/**
 * `PATCH /api/batches/{id}/inputs/{inputId}`: corrects an input's tag, grams or notes. 404 unknown
 * batch or input, 409 archived batch. Audited per changed field and `batch.input_changed`.
 */
export async function updateInput(
  ctx: ActorContext,
  batchId: string,
  inputId: number,
  body: UpdateInputBody,
): Promise<BatchInputChangeResponse> {
  return mutate(ctx, async (m) => {
    await loadBatch(m.tx, batchId);
    const before = await loadInput(m.tx, batchId, inputId);
    const batch = await loadOpenBatch(m.tx, batchId);
    const patch = {
      ...(body.source_metrc_number !== undefined ? { source_metrc_number: body.source_metrc_number } : {}),
      ...(body.grams !== undefined ? { grams: body.grams } : {}),
      ...(body.notes !== undefined ? { notes: body.notes } : {}),
    };
    const after = await m.tx.batchInput.update({ where: { id: before.id }, data: patch });
    const summary = await inputSummary(m.tx, batch);
    const fields = ["source_metrc_number", "grams", "notes"] as const;
    await m.audit({
      entity: "batch_input",
      entityId: String(after.id),
      label: batch.strain,
      before: Object.fromEntries(fields.map((f) => [f, before[f]])),
      after: Object.fromEntries(fields.map((f) => [f, after[f]])),
    });
    await m.emit("batch.input_changed", {
      batch_id: batch.id,
      strain: batch.strain,
      input_id: after.id,
      source_metrc_number: after.source_metrc_number,
      grams: after.grams,
      previous_source_metrc_number: before.source_metrc_number,
      previous_grams: before.grams,
      changed_fields: fields.filter((f) => before[f] !== after[f]),
      inputs_total_grams: summary.inputs_total_grams,
    });
    return { success: true, input: serializeInput(after), ...summary };
  });
}
