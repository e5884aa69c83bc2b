import type { Tx } from "@/lib/db/client";
import type { Batch, BatchInput } from "@/lib/generated/prisma/client";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { conflict, notFound } from "@/lib/http/errors";

/** The batch, refused with 409 when archived: an archived batch's inputs are a closed record. */
export async function loadOpenBatch(tx: Tx, batchId: string): Promise<Batch> {
  const batch = await loadBatch(tx, batchId);
  if (batch.archived) throw conflict("Batch is archived: its source packages cannot change", undefined, "batch_archived");
  return batch;
}

/** One input of one batch, or 404 `Input not found` (an input of another batch is not found either). */
export async function loadInput(tx: Tx, batchId: string, inputId: number): Promise<BatchInput> {
  const input = await tx.batchInput.findUnique({ where: { id: inputId } });
  if (!input || input.batch_id !== batchId) throw notFound("Input not found", "input_not_found");
  return input;
}
