import { z } from "zod";
import { metrcNumber } from "@/lib/domain/batches/batch-schema";

/**
 * Request schemas of `/api/batches/{id}/inputs`. A source is any well-formed METRC tag (24
 * upper-case letters or digits, as elsewhere): source packages are the grow's flower/trim packages,
 * usually not one of our finished goods, so an unknown tag is accepted and only a malformed one is
 * a 400.
 */

const grams = z
  .number({ error: "Grams must be a number" })
  .finite()
  .gt(0, "Grams must be greater than 0")
  .max(10_000_000, "Grams must be at most 10,000,000");
const notes = z.string().trim().max(1000).nullable().optional();

export const addInputSchema = z.strictObject({ source_metrc_number: metrcNumber, grams, notes });
export type AddInputBody = z.output<typeof addInputSchema>;

export const updateInputSchema = z
  .strictObject({ source_metrc_number: metrcNumber.optional(), grams: grams.optional(), notes })
  .refine((v) => v.source_metrc_number !== undefined || v.grams !== undefined || v.notes !== undefined, {
    message: "Send source_metrc_number, grams or notes",
  });
export type UpdateInputBody = z.output<typeof updateInputSchema>;

export const inputParams = z.strictObject({
  id: z.string().min(1).max(100),
  inputId: z.coerce.number({ error: "Input id must be a number" }).int().positive(),
});

/** `[metrc]` of a recall query: any text (an unknown or malformed tag finds nothing: 200, empty lists). */
export const recallParams = z.strictObject({ metrc: z.string().trim().min(1).max(100) });
