import type { Tx } from "@/lib/db/client";
import type { BatchInput as BatchInputRow } from "@/lib/generated/prisma/client";
import type { BatchInput } from "@/lib/domain/genealogy/genealogy-response";

/** Grams are compared to the hundredth: a sum within 0.01 g of `input_grams` matches. */
const TOLERANCE_GRAMS = 0.01;
const round2 = (n: number) => Math.round(n * 100) / 100;

export function serializeInput(row: BatchInputRow): BatchInput {
  return {
    id: row.id,
    batch_id: row.batch_id,
    source_metrc_number: row.source_metrc_number,
    grams: row.grams,
    notes: row.notes,
    actor: row.actor,
    added_at: row.added_at.toISOString(),
  };
}

/** The warning when the recorded inputs do not add up to the batch's `input_grams` (null when they do, or when none are recorded). */
export function inputGramsWarning(inputGrams: number, totalGrams: number, count: number): string | null {
  if (count === 0) return null;
  const gap = round2(totalGrams - inputGrams);
  if (Math.abs(gap) < TOLERANCE_GRAMS) return null;
  return gap > 0
    ? `Source packages total ${round2(totalGrams)} g, ${gap} g more than the batch's input of ${round2(inputGrams)} g`
    : `Source packages total ${round2(totalGrams)} g, ${-gap} g less than the batch's input of ${round2(inputGrams)} g`;
}

/** The batch's inputs summed against its `input_grams` (one indexed query on batch_id). */
export async function inputSummary(tx: Tx, batch: { id: string; input_grams: number }) {
  const agg = await tx.batchInput.aggregate({ where: { batch_id: batch.id }, _sum: { grams: true }, _count: true });
  const total = round2(agg._sum.grams ?? 0);
  return {
    input_grams: batch.input_grams,
    inputs_total_grams: total,
    input_grams_warning: inputGramsWarning(batch.input_grams, total, agg._count),
  };
}
