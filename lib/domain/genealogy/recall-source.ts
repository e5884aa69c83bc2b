import type { Tx } from "@/lib/db/client";
import type { SourceRecallResponse } from "@/lib/domain/genealogy/genealogy-response";
import {
  normalizeTag,
  recallBatchSelect,
  recallPackageSelect,
  round2,
  toRecallBatch,
  toRecallPackage,
} from "@/lib/domain/genealogy/recall-select";

/**
 * `GET /api/genealogy/source/{metrc}`: every batch that used the source package (with the grams
 * taken from it) and every finished-goods package made from those batches, with current grams,
 * status, orders and holds. One query; each relation level is an indexed lookup
 * (batch_inputs.source_metrc_number → batches by id → finished_goods.source_batch_id →
 * wholesale_holds.metrc_number). An unknown tag is not an error: empty lists.
 */
export async function recallSource(tx: Tx, metrc: string): Promise<SourceRecallResponse> {
  const tag = normalizeTag(metrc);
  const inputs = await tx.batchInput.findMany({
    where: { source_metrc_number: tag },
    orderBy: [{ added_at: "asc" }, { id: "asc" }],
    select: {
      grams: true,
      batch: {
        select: {
          ...recallBatchSelect,
          finished_goods: { select: recallPackageSelect, orderBy: [{ created_date: "asc" }, { metrc_number: "asc" }] },
        },
      },
    },
  });
  const batches = new Map<string, { batch: (typeof inputs)[number]["batch"]; grams: number }>();
  for (const input of inputs) {
    const seen = batches.get(input.batch.id);
    if (seen) seen.grams += input.grams;
    else batches.set(input.batch.id, { batch: input.batch, grams: input.grams });
  }
  const list = [...batches.values()];
  return {
    success: true,
    metrc_number: tag,
    batches: list.map(({ batch, grams }) => toRecallBatch(batch, round2(grams))),
    packages: list.flatMap(({ batch }) => batch.finished_goods.map(toRecallPackage)),
    source_grams_total: round2(inputs.reduce((s, i) => s + i.grams, 0)),
  };
}
