import type { RecallBatch, RecallPackage } from "@/lib/domain/genealogy/genealogy-response";

/** The columns a recall reads of a package (its holds through the metrc_number index). */
export const recallPackageSelect = {
  metrc_number: true,
  strain: true,
  source_batch_id: true,
  initial_grams: true,
  current_grams: true,
  status: true,
  grams_ordered: true,
  grams_packed: true,
  created_date: true,
  holds: { select: { id: true, sku_name: true, quantity: true }, orderBy: { created_date: "asc" } },
} as const;

/** The columns a recall reads of a batch. */
export const recallBatchSelect = { id: true, strain: true, stage: true, archived: true, input_grams: true } as const;

type PackageRow = {
  metrc_number: string;
  strain: string;
  source_batch_id: string | null;
  initial_grams: number;
  current_grams: number;
  status: string;
  grams_ordered: number;
  grams_packed: number;
  holds: { id: string; sku_name: string; quantity: number }[];
};

export function toRecallPackage(row: PackageRow): RecallPackage {
  return {
    metrc_number: row.metrc_number,
    strain: row.strain,
    batch_id: row.source_batch_id,
    initial_grams: row.initial_grams,
    current_grams: row.current_grams,
    status: row.status,
    grams_ordered: row.grams_ordered,
    grams_packed: row.grams_packed,
    holds: row.holds,
    held_units: row.holds.reduce((s, h) => s + h.quantity, 0),
  };
}

export function toRecallBatch(
  row: { id: string; strain: string; stage: number; archived: boolean; input_grams: number },
  sourceGrams = 0,
): RecallBatch {
  return {
    batch_id: row.id,
    strain: row.strain,
    stage: row.stage,
    archived: row.archived,
    input_grams: row.input_grams,
    source_grams: sourceGrams,
  };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** A searched tag as stored: trimmed, upper-case (METRC tags are). */
export const normalizeTag = (metrc: string) => metrc.trim().toUpperCase();
