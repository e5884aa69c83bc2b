import { z } from "zod";

/**
 * Response schemas of the genealogy routes (the wire contract): a batch's source packages
 * (`/api/batches/{id}/inputs`) and the recall queries (`/api/genealogy/source|package/{metrc}`).
 * Imported by browser code: zod only. `z.object` (not strict) so an added field does not break an
 * old client.
 */

const isoDateTime = z.iso.datetime();

/** One METRC source package a batch was made from, with the grams taken from it. */
export const batchInputSchema = z.object({
  id: z.number().int(),
  batch_id: z.string(),
  source_metrc_number: z.string(),
  grams: z.number(),
  notes: z.string().nullable(),
  actor: z.string(),
  added_at: isoDateTime,
});
export type BatchInput = z.infer<typeof batchInputSchema>;

/** The sum of a batch's inputs against its `input_grams`: a warning, never a refusal. */
export const inputSummarySchema = z.object({
  input_grams: z.number(),
  inputs_total_grams: z.number(),
  /** Null when the inputs add up to `input_grams` (or none are recorded yet). */
  input_grams_warning: z.string().nullable(),
});

/** GET /api/batches/{id}/inputs. */
export const batchInputsResponseSchema = z.object({
  success: z.literal(true),
  batch_id: z.string(),
  strain: z.string(),
  archived: z.boolean(),
  inputs: z.array(batchInputSchema),
  ...inputSummarySchema.shape,
});
export type BatchInputsResponse = z.infer<typeof batchInputsResponseSchema>;

/** POST / PATCH / DELETE on an input: the input touched and the batch's new summary. */
export const batchInputChangeResponseSchema = z.object({
  success: z.literal(true),
  input: batchInputSchema,
  ...inputSummarySchema.shape,
});
export type BatchInputChangeResponse = z.infer<typeof batchInputChangeResponseSchema>;

/** A batch as a recall shows it. */
export const recallBatchSchema = z.object({
  batch_id: z.string(),
  strain: z.string(),
  stage: z.number().int(),
  archived: z.boolean(),
  input_grams: z.number(),
  /** Grams of the searched source package that went into this batch (source recall only; else 0). */
  source_grams: z.number(),
});
export type RecallBatch = z.infer<typeof recallBatchSchema>;

/** A finished-goods package made from a recalled batch, with its current state. */
export const recallPackageSchema = z.object({
  metrc_number: z.string(),
  strain: z.string(),
  batch_id: z.string().nullable(),
  initial_grams: z.number(),
  current_grams: z.number(),
  status: z.string(),
  grams_ordered: z.number(),
  grams_packed: z.number(),
  /** Wholesale holds on the package. */
  holds: z.array(z.object({ id: z.string(), sku_name: z.string(), quantity: z.number().int() })),
  held_units: z.number().int(),
});
export type RecallPackage = z.infer<typeof recallPackageSchema>;

/** GET /api/genealogy/source/{metrc}: every batch that used the source, every package made from them. Unknown tag: empty lists. */
export const sourceRecallResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  batches: z.array(recallBatchSchema),
  packages: z.array(recallPackageSchema),
  /** Grams of the source recorded across all batches. */
  source_grams_total: z.number(),
});
export type SourceRecallResponse = z.infer<typeof sourceRecallResponseSchema>;

/** GET /api/genealogy/package/{metrc}: the package, its batch, the batch's source packages and every package of that batch. Unknown tag: nulls and empty lists. */
export const packageRecallResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  package: recallPackageSchema.nullable(),
  batch: recallBatchSchema.nullable(),
  sources: z.array(batchInputSchema),
  /** Every package made from the same batch (the searched one included). */
  packages: z.array(recallPackageSchema),
});
export type PackageRecallResponse = z.infer<typeof packageRecallResponseSchema>;
