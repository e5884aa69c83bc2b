import { z } from "zod";
import { normalizeSize, SAMPLE_UNITS } from "@/lib/domain/weight-checks/weight-math";

/**
 * The weight-check request (contract), pure so the `Weigh sample` form validates with the same
 * rules the server applies.
 */

/** Numbers, or numeric strings (the legacy form handler ran `float()` on what it got). */
const numeric = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v), schema);

const SIZE_MESSAGE = 'Use "0.5g", "0.7g" or "1.0g"';

/** Grams of the whole sample. */
export const sampleWeightField = numeric(
  z.number({ error: "Enter the sample's weight in grams" }).positive("Enter the sample's weight in grams").max(1000, "At most 1000 g"),
);

export const weightSizeSchema = z.union([z.string(), z.number()], { error: SIZE_MESSAGE }).transform((value, ctx) => {
  const size = normalizeSize(value);
  if (!size) {
    ctx.addIssue({ code: "custom", message: SIZE_MESSAGE });
    return z.NEVER;
  }
  return size;
});

export const recordWeightCheckSchema = z.strictObject({
  /** "0.5g" | "0.7g" | "1.0g" (contract); "0_5", "0.5", 0.5 … are accepted too. */
  size: weightSizeSchema,
  /** Grams of the whole sample (10 pre-rolls unless `sample_units` says otherwise). */
  sample_weight: sampleWeightField,
  /** The size's count when the sample was taken; defaults to the batch's current count. */
  count_at_measurement: numeric(z.number().int().min(0).max(10_000_000)).nullish(),
  sample_units: numeric(z.number().int().min(1).max(1000)).default(SAMPLE_UNITS),
});
