import type { CreateBatchInput } from "@/lib/domain/batches/batch-schema";

/** Per-entity factories, shared by the demo seed (scripts/seed-demo.ts) and the unit, integration and e2e tests; they live here, not under tests/, because production code (the seed) uses them. */

export const STRAINS = [
  "Blue Dream",
  "Gelato 41",
  "Wedding Cake",
  "Sour Diesel",
  "GMO Cookies",
  "Lemon Cherry Gelato",
  "Runtz",
  "Northern Lights",
  "Purple Punch",
  "Zkittlez",
  "Jack Herer",
  "Pineapple Express",
];

let sequence = 0;

/** A plausible batch input; overrides win. */
export function buildBatch(overrides: Partial<CreateBatchInput> = {}): CreateBatchInput {
  sequence += 1;
  const strain = STRAINS[sequence % STRAINS.length];
  return {
    strain,
    input_grams: 1000 + (sequence % 5) * 250,
    target_grams_each: 0.5,
    thc_percent: 20 + (sequence % 10),
    harvest_date: "2026-10-01",
    bay_number: `B${(sequence % 6) + 1}`,
    grind_size: "medium",
    ...overrides,
  };
}

/** A 24-character METRC package tag starting 1A4, unique per seed. */
export function metrcTag(seed = ++sequence): string {
  return `1A4060300${seed.toString(16).toUpperCase().padStart(15, "0")}`;
}
