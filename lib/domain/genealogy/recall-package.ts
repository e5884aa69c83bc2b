import type { Tx } from "@/lib/db/client";
import type { PackageRecallResponse } from "@/lib/domain/genealogy/genealogy-response";
import { serializeInput } from "@/lib/domain/genealogy/input-summary";
import { normalizeTag, recallBatchSelect, recallPackageSelect, toRecallBatch, toRecallPackage } from "@/lib/domain/genealogy/recall-select";

/**
 * `GET /api/genealogy/package/{metrc}`: a finished-goods package, the batch it was made from, that
 * batch's source packages and every package made from the same batch (what a recall of this
 * package's material pulls). One query by primary key, relations through their indexes. An
 * unknown tag, or a package with no batch, is not an error: nulls and empty lists.
 */
export async function recallPackage(tx: Tx, metrc: string): Promise<PackageRecallResponse> {
  const tag = normalizeTag(metrc);
  const fg = await tx.finishedGood.findUnique({
    where: { metrc_number: tag },
    select: {
      ...recallPackageSelect,
      source_batch: {
        select: {
          ...recallBatchSelect,
          inputs: { orderBy: [{ added_at: "asc" }, { id: "asc" }] },
          finished_goods: { select: recallPackageSelect, orderBy: [{ created_date: "asc" }, { metrc_number: "asc" }] },
        },
      },
    },
  });
  const batch = fg?.source_batch ?? null;
  return {
    success: true,
    metrc_number: tag,
    package: fg ? toRecallPackage(fg) : null,
    batch: batch ? toRecallBatch(batch) : null,
    sources: batch ? batch.inputs.map(serializeInput) : [],
    packages: batch ? batch.finished_goods.map(toRecallPackage) : fg ? [toRecallPackage(fg)] : [],
  };
}
