import { sizeGrams, sizes, type Size } from "@/lib/domain/batches/constants";
import { runningYield, type YieldPoint } from "@/lib/domain/weight-checks/weight-math";

/**
 * Mass balance of a batch (SPEC §2), pure — shared by the serializer (the wire's `mass_balance`),
 * the Done check (mass-balance-check.ts) and the floor's "Move to Done" dialog (live gap while
 * typing), so it imports no Prisma and no database. tests/unit/mass-balance.test.ts.
 *
 *   input grams = product grams + lab samples + waste + remainder + gap
 *
 * - **product grams**: the flower in the units counted, per size. Where the size has weight
 *   checks, it is the running-yield estimate of lib/domain/weight-checks/weight-math.ts (each unit
 *   counted gets the tare-subtracted flower weight of the check nearest to it by count) — the
 *   batch's *measured* fill. Only a size with no usable check falls back to the nominal fill
 *   (units × 0.5 / 0.7 / 1.0 g). Why not the alternatives: `target_grams_each` predates per-size
 *   production (one number for a batch that makes several sizes), and `final_weight_*` are
 *   free-form legacy fields nothing defines or computes. Measured beats nominal because overfilled
 *   units are exactly where flower goes missing: with nominal fill, a 10 % overfill would show as
 *   an unexplained gap although the flower is in the pre-rolls.
 * - **gap grams** = input − accounted: positive = flower not accounted for (lost), negative = more
 *   accounted for than went in (an input or count error). **gap %** = gap ÷ input × 100, null
 *   when the batch has no input grams.
 * - **tolerance**: |gap %| ≤ the `mass_balance_tolerance_percent` setting. A gap exactly at the
 *   tolerance is within it.
 */

export type FillBasis = "measured" | "nominal" | "mixed" | "none";

/** The batch columns the balance reads (a Prisma row or a wire batch both fit). */
export type MassBalanceSource = { input_grams: number; lab_sample_grams: number; waste_grams: number; remainder_grams: number } & {
  [K in `counts_${Size}`]: number;
} & { [K in `weight_log_${Size}`]: unknown };

export interface MassBalance {
  /** Flower in the units counted (measured fill where weighed, else nominal). */
  product_grams: number;
  /** Product + lab samples + waste + remainder. */
  accounted_grams: number;
  /** Input − accounted: positive = unexplained loss. */
  gap_grams: number;
  /** Gap as a percentage of the input grams; null without input grams. */
  gap_percent: number | null;
  /** Where the product grams come from: weight checks for every size counted, none, some, or nothing counted. */
  fill_basis: FillBasis;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A stored weight log's entries as yield points (entries without a count or flower weight are skipped). */
function points(log: unknown): YieldPoint[] {
  if (!Array.isArray(log)) return [];
  const out: YieldPoint[] = [];
  for (const e of log) {
    if (!e || typeof e !== "object") continue;
    const { count, flower_weight } = e as { count?: unknown; flower_weight?: unknown };
    if (typeof count === "number" && typeof flower_weight === "number") out.push({ count, flowerWeight: flower_weight });
  }
  return out;
}

/** Flower grams in one size's counted units and whether they were measured. */
export function productGrams(size: Size, units: number, log: unknown): { grams: number; measured: boolean } {
  const measured = runningYield(size, units, points(log));
  if (measured.grams_used_estimate > 0) return { grams: measured.grams_used_estimate, measured: true };
  return { grams: round2(Math.max(0, Math.floor(units || 0)) * sizeGrams[size]), measured: false };
}

/** The gap from its parts (the floor dialog recomputes it live from the typed grams). */
export function gapOf(inputGrams: number, accountedGrams: number): { gap_grams: number; gap_percent: number | null } {
  const gap = round2(inputGrams - accountedGrams);
  return { gap_grams: gap, gap_percent: inputGrams > 0 ? round2((gap / inputGrams) * 100) : null };
}

export function accountedGrams(
  productGramsTotal: number,
  parts: { lab_sample_grams: number; waste_grams: number; remainder_grams: number },
) {
  return round2(productGramsTotal + parts.lab_sample_grams + parts.waste_grams + parts.remainder_grams);
}

export function massBalance(batch: MassBalanceSource): MassBalance {
  let product = 0;
  let counted = 0;
  let measured = 0;
  for (const s of sizes) {
    const units = batch[`counts_${s}`];
    if (!(units > 0)) continue;
    counted += 1;
    const p = productGrams(s, units, batch[`weight_log_${s}`]);
    product += p.grams;
    if (p.measured) measured += 1;
  }
  const accounted = accountedGrams(product, batch);
  return {
    product_grams: round2(product),
    accounted_grams: accounted,
    ...gapOf(batch.input_grams, accounted),
    fill_basis: counted === 0 ? "none" : measured === counted ? "measured" : measured === 0 ? "nominal" : "mixed",
  };
}

/** Whether a gap is within the tolerance (a batch without input grams has no percentage: within). */
export function withinTolerance(gapPercent: number | null, tolerancePercent: number): boolean {
  return gapPercent === null || Math.abs(gapPercent) <= tolerancePercent + 1e-9;
}
