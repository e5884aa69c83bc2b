import { describe, expect, it } from "vitest";
import { gapOf, massBalance, withinTolerance, type MassBalanceSource } from "@/lib/domain/batches/mass-balance";

const batch = (overrides: Partial<MassBalanceSource> = {}): MassBalanceSource => ({
  input_grams: 1000,
  counts_0_5: 0,
  counts_0_7: 0,
  counts_1_0: 0,
  weight_log_0_5: null,
  weight_log_0_7: null,
  weight_log_1_0: null,
  lab_sample_grams: 0,
  waste_grams: 0,
  remainder_grams: 0,
  ...overrides,
});
const check = (count: number, flower_weight: number) => ({ count, flower_weight });

describe("mass balance", () => {
  it("without weight checks, counts units at their nominal fill: 1000 g in, 1500 × 0.5 g + 100 × 1.0 g + 20 + 30 + 50 → 50 g (5 %) missing", () => {
    const mb = massBalance(batch({ counts_0_5: 1500, counts_1_0: 100, lab_sample_grams: 20, waste_grams: 30, remainder_grams: 50 }));
    expect(mb).toEqual({ product_grams: 850, accounted_grams: 950, gap_grams: 50, gap_percent: 5, fill_basis: "nominal" });
  });

  it("uses the measured (tare-subtracted) flower weight where a size was weighed: overfill is not a loss", () => {
    // 1000 × 0.5 g units that really hold 0.55 g each: 550 g in the pre-rolls, not 500 g.
    const mb = massBalance(batch({ input_grams: 600, counts_0_5: 1000, weight_log_0_5: [check(100, 0.55)], remainder_grams: 50 }));
    expect(mb).toMatchObject({ product_grams: 550, accounted_grams: 600, gap_grams: 0, gap_percent: 0, fill_basis: "measured" });
  });

  it("gives each unit the weight of the check nearest to it by count (the running-yield estimate)", () => {
    // Units 0–100 at 0.5 g, 100–200 at 0.6 g (boundary halfway between the checks at 50 and 150).
    const mb = massBalance(batch({ input_grams: 120, counts_0_5: 200, weight_log_0_5: [check(50, 0.5), check(150, 0.6)] }));
    expect(mb.product_grams).toBe(110);
    expect(mb.gap_grams).toBe(10);
  });

  it("mixes measured and nominal sizes, and says so", () => {
    const mb = massBalance(batch({ counts_0_5: 100, weight_log_0_5: [check(10, 0.52)], counts_0_7: 100 }));
    expect(mb.product_grams).toBe(52 + 70);
    expect(mb.fill_basis).toBe("mixed");
  });

  it("ignores log entries it cannot use (no flower weight, garbage)", () => {
    const mb = massBalance(batch({ counts_1_0: 10, weight_log_1_0: [{ count: 5 }, "x", null, check(5, 0)] }));
    expect(mb).toMatchObject({ product_grams: 10, fill_basis: "nominal" });
  });

  it("a negative gap means more accounted for than went in; no input grams → no percentage", () => {
    expect(massBalance(batch({ input_grams: 100, remainder_grams: 110 }))).toMatchObject({
      gap_grams: -10,
      gap_percent: -10,
      fill_basis: "none",
    });
    expect(massBalance(batch({ input_grams: 0, waste_grams: 5 }))).toMatchObject({ gap_grams: -5, gap_percent: null });
  });

  it("tolerance compares the size of the gap, inclusive; no percentage is within", () => {
    expect(withinTolerance(2, 2)).toBe(true);
    expect(withinTolerance(-2, 2)).toBe(true);
    expect(withinTolerance(2.01, 2)).toBe(false);
    expect(withinTolerance(-3, 2)).toBe(false);
    expect(withinTolerance(null, 2)).toBe(true);
    expect(gapOf(1000, 966.666)).toEqual({ gap_grams: 33.33, gap_percent: 3.33 });
  });
});
