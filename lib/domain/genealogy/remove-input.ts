import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import type { BatchInputChangeResponse } from "@/lib/domain/genealogy/genealogy-response";
import { inputSummary, serializeInput } from "@/lib/domain/genealogy/input-summary";
import { loadInput, loadOpenBatch } from "@/lib/domain/genealogy/load-input";

/**
 * `DELETE /api/batches/{id}/inputs/{inputId}`: removes a source package from the batch. 404
 * unknown batch or input, 409 archived batch. Audited (the fields go to null) and
 * `batch.input_removed`; the answer is the removed input and the new sum.
 */
export async function removeInput(ctx: ActorContext, batchId: string, inputId: number): Promise<BatchInputChangeResponse> {
  return mutate(ctx, async (m) => {
    await loadBatch(m.tx, batchId);
    const input = await loadInput(m.tx, batchId, inputId);
    const batch = await loadOpenBatch(m.tx, batchId);
    await m.tx.batchInput.delete({ where: { id: input.id } });
    const summary = await inputSummary(m.tx, batch);
    await m.audit({
      entity: "batch_input",
      entityId: String(input.id),
      label: batch.strain,
      before: { batch_id: batch.id, source_metrc_number: input.source_metrc_number, grams: input.grams, notes: input.notes },
      after: null,
    });
    await m.emit("batch.input_removed", {
      batch_id: batch.id,
      strain: batch.strain,
      input_id: input.id,
      source_metrc_number: input.source_metrc_number,
      grams: input.grams,
      inputs_total_grams: summary.inputs_total_grams,
    });
    return { success: true, input: serializeInput(input), ...summary };
  });
}
