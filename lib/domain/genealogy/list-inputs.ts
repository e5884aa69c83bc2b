import type { Tx } from "@/lib/db/client";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import type { BatchInputsResponse } from "@/lib/domain/genealogy/genealogy-response";
import { inputGramsWarning, serializeInput } from "@/lib/domain/genealogy/input-summary";

/** `GET /api/batches/{id}/inputs`: the batch's source packages, oldest first, with the sum checked against `input_grams`. 404 for an unknown batch. */
export async function listInputs(tx: Tx, batchId: string): Promise<BatchInputsResponse> {
  const batch = await loadBatch(tx, batchId);
  const rows = await tx.batchInput.findMany({ where: { batch_id: batch.id }, orderBy: [{ added_at: "asc" }, { id: "asc" }] });
  const total = Math.round(rows.reduce((s, r) => s + r.grams, 0) * 100) / 100;
  return {
    success: true,
    batch_id: batch.id,
    strain: batch.strain,
    archived: batch.archived,
    inputs: rows.map(serializeInput),
    input_grams: batch.input_grams,
    inputs_total_grams: total,
    input_grams_warning: inputGramsWarning(batch.input_grams, total, rows.length),
  };
}
