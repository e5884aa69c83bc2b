import { describe, expect, it } from "vitest";
import { allocate, capPlan, gramsFor } from "@/lib/domain/batches/allocation";

describe("allocation", () => {
  it("splits grams by percentage into whole pre-rolls per size", () => {
    // 1000 g at 40/30/30: 400 g → 800 × 0.5 g, 300 g → 428 × 0.7 g, 300 g → 300 × 1.0 g
    expect(allocate(1000, [40, 30, 30])).toEqual({ "0_5": 800, "0_7": 428, "1_0": 300 });
    expect(gramsFor({ "0_5": 800, "0_7": 428, "1_0": 300 })).toBe(999.6);
    expect(allocate(0, [40, 30, 30])).toEqual({ "0_5": 0, "0_7": 0, "1_0": 0 });
  });

  it("leaves a plan that fits alone and scales one that does not, keeping its split", () => {
    expect(capPlan({ "0_5": 100, "0_7": 0, "1_0": 50 }, 100)).toEqual({ planned: { "0_5": 100, "0_7": 0, "1_0": 50 }, adjusted: false });
    // needs 200 × 0.5 + 100 × 1.0 = 200 g; only 100 g → half of each
    const capped = capPlan({ "0_5": 200, "0_7": 0, "1_0": 100 }, 100);
    expect(capped).toEqual({ planned: { "0_5": 100, "0_7": 0, "1_0": 50 }, adjusted: true });
    expect(gramsFor(capped.planned)).toBeLessThanOrEqual(100);
    expect(capPlan({ "0_5": 10, "0_7": 10, "1_0": 10 }, 0)).toEqual({ planned: { "0_5": 0, "0_7": 0, "1_0": 0 }, adjusted: true });
  });
});
