import { sizeGrams, sizes, type Size } from "@/lib/domain/batches/constants";

/**
 * Allocation and plan arithmetic (pure). A unit of size s holds sizeGrams[s] of flower (0.5, 0.7,
 * 1.0 g); the `tare_weights` setting is the empty cone's weight, which weight checks subtract and
 * which takes no flower, so it does not enter the gram budget.
 */

export type PerSize = Record<Size, number>;

/** Units per size from `grams` split by the allocation percentages, whole pre-rolls only. */
export function allocate(grams: number, allocation: readonly [number, number, number]): PerSize {
  const out = {} as PerSize;
  sizes.forEach((s, i) => {
    out[s] = grams > 0 ? Math.floor((grams * allocation[i]) / 100 / sizeGrams[s] + 1e-9) : 0;
  });
  return out;
}

export function gramsFor(units: PerSize): number {
  return Math.round(sizes.reduce((sum, s) => sum + units[s] * sizeGrams[s], 0) * 1000) / 1000;
}

/**
 * Caps a plan to the grams available: when it needs more flower than there is, every size is
 * scaled down by the same factor (keeping the operator's split) and rounded down to whole units.
 */
export function capPlan(planned: PerSize, availableGrams: number): { planned: PerSize; adjusted: boolean } {
  const needed = gramsFor(planned);
  if (needed <= availableGrams + 1e-9) return { planned, adjusted: false };
  const factor = availableGrams > 0 ? availableGrams / needed : 0;
  const capped = {} as PerSize;
  for (const s of sizes) capped[s] = Math.floor(planned[s] * factor + 1e-9);
  return { planned: capped, adjusted: true };
}
