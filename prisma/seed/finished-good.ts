import { metrcTag } from "@/prisma/seed/batch";

/** A plausible finished-goods package (METRC 1A4…, 24 characters). */
export function buildFinishedGood(
  overrides: Partial<{ metrc_number: string; strain: string; grams: number; notes: string | null; source_batch_id: string | null }> = {},
) {
  return {
    metrc_number: overrides.metrc_number ?? metrcTag(),
    strain: overrides.strain ?? "Blue Dream",
    grams: overrides.grams ?? 750,
    notes: overrides.notes ?? null,
    source_batch_id: overrides.source_batch_id ?? null,
  };
}
