import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import type { AddInputBody } from "@/lib/domain/genealogy/input-schema";
import type { BatchInputChangeResponse } from "@/lib/domain/genealogy/genealogy-response";
import { inputSummary, serializeInput } from "@/lib/domain/genealogy/input-summary";
import { loadOpenBatch } from "@/lib/domain/genealogy/load-input";

/**
 * `POST /api/batches/{id}/inputs`: records a METRC source package and the grams taken from it.
 * 404 unknown batch, 409 archived batch. The answer carries the sum against `input_grams` (a
 * warning, not a refusal). Audited (entity `batch_input`) and `batch.input_added`.
 */
export async function addInput(ctx: ActorContext, batchId: string, body: AddInputBody): Promise<BatchInputChangeResponse> {
  return mutate(ctx, async (m) => {
    const batch = await loadOpenBatch(m.tx, batchId);
    const row = await m.tx.batchInput.create({
      data: {
        batch_id: batch.id,
        source_metrc_number: body.source_metrc_number,
        grams: body.grams,
        notes: body.notes ?? null,
        actor: ctx.actor,
        added_at: m.now,
      },
    });
    const summary = await inputSummary(m.tx, batch);
    await m.audit({
      entity: "batch_input",
      entityId: String(row.id),
      label: batch.strain,
      before: null,
      after: { batch_id: batch.id, source_metrc_number: row.source_metrc_number, grams: row.grams, notes: row.notes },
    });
    await m.emit("batch.input_added", {
      batch_id: batch.id,
      strain: batch.strain,
      input_id: row.id,
      source_metrc_number: row.source_metrc_number,
      grams: row.grams,
      inputs_total_grams: summary.inputs_total_grams,
    });
    return { success: true, input: serializeInput(row), ...summary };
  });
}
