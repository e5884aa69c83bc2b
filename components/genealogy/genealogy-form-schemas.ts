import { z } from "zod";
import { metrcNumber } from "@/lib/domain/batches/batch-schema";

/**
 * The genealogy forms' schemas, from the server's own rules (METRC tag format, grams > 0).
 * Loaded on demand through lazyZodResolver. Inputs arrive as text.
 */

const gramsInput = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v),
  z.number({ error: "Enter grams" }).refine(Number.isFinite, "Enter a number").gt(0, "Must be greater than 0").max(10_000_000),
);

/** "Add source package" on the batch edit page. */
export const addInputFormSchema = z.object({
  source_metrc_number: metrcNumber,
  grams: gramsInput,
  notes: z
    .string()
    .trim()
    .max(1000)
    .transform((s) => (s === "" ? null : s)),
});

/** The /genealogy search box: any tag, trimmed, upper-case (METRC tags are). */
export const recallSearchSchema = z.object({
  tag: z.string().trim().min(1, "Enter a METRC tag").max(100).toUpperCase(),
});
