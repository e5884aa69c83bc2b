/** Finished goods vocabulary (API-CONTRACT.md "Finished goods", EXISTING-SYSTEM §1.4). */

export const finishedGoodStatuses = ["active", "depleted", "archived", "orphaned"] as const;
export type FinishedGoodStatus = (typeof finishedGoodStatuses)[number];

/** Grams per `unit_size` of deduct/add bodies: "6pack" = 6 × 0.5 g, "12pack" = 12 × 0.5 g. */
export const unitSizeGrams = { "0.5g": 0.5, "0.7g": 0.7, "0.8g": 0.8, "1.0g": 1.0, "6pack": 3.0, "12pack": 6.0 } as const;
export type UnitSize = keyof typeof unitSizeGrams;

/**
 * The four default Apex SKUs (storage vocabulary A of EXISTING-SYSTEM §1.4) with their grams per
 * unit and the display names (vocabulary B) wholesale and the API2 examples use.
 */
export const defaultSkus = {
  singles_0_5g: { name: "0.5g Singles", grams_per_unit: 0.5, unit_size: "0.5g", pack_size: 1 },
  singles_1g: { name: "1.0g Singles", grams_per_unit: 1.0, unit_size: "1.0g", pack_size: 1 },
  magnetic_box_6pk: { name: "6-Pack Magnetic Box", grams_per_unit: 3.0, unit_size: "0.5g", pack_size: 6 },
  magnetic_box_12pk: { name: "12-Pack Magnetic Box", grams_per_unit: 6.0, unit_size: "0.5g", pack_size: 12 },
} as const;
export type DefaultSkuKey = keyof typeof defaultSkus;

/** Grams are kept to the milligram: floating-point sums must not leave 1e-13 g behind. */
export function roundGrams(g: number): number {
  return Math.round(g * 1000) / 1000;
}
