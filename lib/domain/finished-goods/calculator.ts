import { z } from "zod";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { missingField } from "@/lib/domain/finished-goods/fields";

/**
 * `GET /api/finished-goods/calculator?grams=`: how many units each size makes from `grams`
 * (floor of grams ÷ grams per unit): 0.5 g and 1.0 g singles, 0.5 g 6-packs (3 g) and 12-packs
 * (6 g), and the custom 0.7 g / 0.8 g sizes. `grams` is required (400 "grams is required").
 */
export const calculatorQuery = z.strictObject({
  grams: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().min(0).max(10_000_000).optional()),
});
export type CalculatorQuery = z.output<typeof calculatorQuery>;

/** Whole units of `perUnit` grams in `grams`; exact decimal grams (2.1 ÷ 0.7 = 3) count fully. */
export function unitsFrom(grams: number, perUnit: number): number {
  return Math.floor(roundGrams(grams) / perUnit + 1e-9);
}

export function calculateUnits(query: CalculatorQuery) {
  if (query.grams === undefined) throw missingField("grams", "query");
  const g = roundGrams(query.grams);
  return {
    input_grams: g,
    primary_sizes: {
      "0.5g_singles": unitsFrom(g, 0.5),
      "1.0g_singles": unitsFrom(g, 1.0),
      "0.5g_6pack": unitsFrom(g, 3.0),
      "0.5g_12pack": unitsFrom(g, 6.0),
    },
    custom_sizes: {
      "0.7g": unitsFrom(g, 0.7),
      "0.8g": unitsFrom(g, 0.8),
    },
  };
}
