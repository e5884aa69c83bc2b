import { z } from "zod";
import { metrcNumber } from "@/lib/domain/batches/batch-schema";
import { strainName } from "@/lib/domain/finished-goods/fields";

/**
 * The finished-goods and wholesale forms' schemas, built from the server's own field rules
 * (METRC tag, strain, grams > 0, whole units). Loaded on demand through lazyZodResolver.
 * Inputs arrive as text: "" is "not given", anything else must be a number.
 */

const numberInput = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v), schema);

const gramsInput = numberInput(
  z.number({ error: "Enter grams" }).refine(Number.isFinite, "Enter a number").min(0.001, "Must be greater than 0").max(10_000_000),
);
const totalInput = numberInput(
  z.number({ error: "Enter grams" }).refine(Number.isFinite, "Enter a number").min(0, "0 or more").max(10_000_000),
);
const unitsInput = numberInput(z.number({ error: "Enter units" }).int("Whole units").min(1, "At least 1").max(10_000_000));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === "" ? null : s));

export const newPackageSchema = z.object({
  metrc_number: metrcNumber,
  strain: strainName,
  grams: gramsInput,
  notes: optionalText(5000),
  source_batch_id: optionalText(100),
});
export type NewPackageValues = z.output<typeof newPackageSchema>;

/**
 * Deduct, add, pack, order, set-ordered/packed, complete order: an amount — grams (> 0), units of
 * a size (whole, ≥ 1; deduct/add only) or a new total (≥ 0; set-ordered/packed) — and a reason.
 */
export const amountActionSchema = z
  .object({
    by: z.enum(["grams", "units", "total"]),
    amount: z.string(),
    unit_size: z.string(),
    reason: optionalText(1000),
    order_id: optionalText(200),
  })
  .transform((v, ctx) => {
    const schema = v.by === "units" ? unitsInput : v.by === "total" ? totalInput : gramsInput;
    const parsed = schema.safeParse(v.amount);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "Invalid amount", path: ["amount"] });
      return z.NEVER;
    }
    return { ...v, amount: parsed.data as number };
  });
export type AmountActionValues = z.output<typeof amountActionSchema>;

export const overrideSchema = z.object({ physical_grams: totalInput, reason: optionalText(1000) });

export const customSkuSchema = z.object({
  name: z.string().trim().min(1, "Name the SKU").max(200),
  grams_per_unit: gramsInput,
  pack_size: numberInput(z.number({ error: "Enter a pack size" }).int("Whole pre-rolls").min(1, "At least 1").max(1000)),
});

export const holdSchema = z.object({ quantity: unitsInput, notes: optionalText(2000) });
