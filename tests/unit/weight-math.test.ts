import { describe, expect, it } from "vitest";
import {
  analyseSample,
  normalizeSize,
  runningYield,
  sizeLabel,
  spread,
  statusFor,
  trendOf,
  yieldStatus,
} from "@/lib/domain/weight-checks/weight-math";
import { latestEntry, parseWeightLog } from "@/lib/domain/weight-checks/weight-log";

describe("sizes", () => {
  it("reads the forms clients write", () => {
    for (const v of ["0.5g", "0.5 g", "0.5G", "0.5", "0_5", " 0.5grams ", 0.5]) expect(normalizeSize(v), String(v)).toBe("0_5");
    for (const v of ["0.7g", "0_7", 0.7, ".7g"]) expect(normalizeSize(v), String(v)).toBe("0_7");
    for (const v of ["1.0g", "1g", "1", "1_0", 1]) expect(normalizeSize(v), String(v)).toBe("1_0");
    for (const v of ["0.6g", "big", "", "1_5", null, undefined, NaN, {}, "0.5g0"]) expect(normalizeSize(v), String(v)).toBeNull();
  });

  it("labels sizes as weight-check bodies write them", () => {
    expect([sizeLabel("0_5"), sizeLabel("0_7"), sizeLabel("1_0")]).toEqual(["0.5g", "0.7g", "1.0g"]);
  });
});

describe("one sample", () => {
  it("subtracts the cone's tare per unit and compares the flower with the nominal fill", () => {
    // 10 × 0.5 g pre-rolls weigh 6.2 g: 0.62 g each, 0.12 g cone → 0.50 g flower, on target
    const a = analyseSample({ size: "0_5", sampleWeight: 6.2, sampleUnits: 10, tare: 0.12, tolerancePercent: 10 });
    expect(a).toEqual({
      unit_weight: 0.62,
      tare_weight: 0.12,
      flower_weight: 0.5,
      target_weight: 0.5,
      deviation_percent: 0,
      tolerance_percent: 10,
      within_tolerance: true,
      status: "good",
    });
  });

  it("reports deviation as a percentage of the target, positive when overfilled", () => {
    // 1.0 g: 12.8 g / 10 = 1.28 − 0.18 = 1.10 g → +10 % (edge of the band: still good)
    const heavy = analyseSample({ size: "1_0", sampleWeight: 12.8, sampleUnits: 10, tare: 0.18, tolerancePercent: 10 });
    expect(heavy).toMatchObject({ flower_weight: 1.1, deviation_percent: 10, status: "good", within_tolerance: true });
    // 0.7 g: 7.3 / 10 = 0.73 − 0.15 = 0.58 → −17.14 % (warning)
    const light = analyseSample({ size: "0_7", sampleWeight: 7.3, sampleUnits: 10, tare: 0.15, tolerancePercent: 10 });
    expect(light).toMatchObject({
      unit_weight: 0.73,
      flower_weight: 0.58,
      deviation_percent: -17.14,
      status: "warning",
      within_tolerance: false,
    });
    // 5 units: 4.0 / 5 = 0.8 − 0.12 = 0.68 → +36 % (bad)
    const few = analyseSample({ size: "0_5", sampleWeight: 4, sampleUnits: 5, tare: 0.12, tolerancePercent: 10 });
    expect(few).toMatchObject({ unit_weight: 0.8, flower_weight: 0.68, deviation_percent: 36, status: "bad" });
  });

  it("never reports negative flower", () => {
    expect(analyseSample({ size: "0_5", sampleWeight: 1, sampleUnits: 10, tare: 0.12, tolerancePercent: 10 })).toMatchObject({
      flower_weight: 0,
      deviation_percent: -100,
      status: "bad",
    });
  });

  it("bands: good within ±tolerance, warning within ±2×, bad beyond", () => {
    expect(statusFor(0, 10)).toBe("good");
    expect(statusFor(-10, 10)).toBe("good");
    expect(statusFor(10.01, 10)).toBe("warning");
    expect(statusFor(-20, 10)).toBe("warning");
    expect(statusFor(20.01, 10)).toBe("bad");
    expect(statusFor(-45, 10)).toBe("bad");
    expect(statusFor(0, 0)).toBe("good");
    expect(statusFor(0.1, 0)).toBe("bad");
    expect(statusFor(4, 5)).toBe("good");
  });
});

describe("running yield", () => {
  it("is 0 % when counts or weights are missing", () => {
    expect(runningYield("0_5", 0, [{ count: 100, flowerWeight: 0.5 }])).toEqual({
      running_yield: 0,
      grams_used_estimate: 0,
      nominal_grams: 0,
      units: 0,
    });
    expect(runningYield("0_5", 1000, [])).toEqual({ running_yield: 0, grams_used_estimate: 0, nominal_grams: 500, units: 1000 });
    // weights that are no weights (legacy rows with nothing after tare) are ignored
    expect(
      runningYield("0_5", 1000, [
        { count: 500, flowerWeight: 0 },
        { count: 600, flowerWeight: -1 },
      ]),
    ).toMatchObject({ running_yield: 0, grams_used_estimate: 0 });
    expect(runningYield("0_5", Number.NaN, [{ count: 1, flowerWeight: 0.5 }]).running_yield).toBe(0);
  });

  it("is target ÷ flower weight with a single check: 100 % on target, below when heavy, above when light", () => {
    expect(runningYield("0_5", 1000, [{ count: 400, flowerWeight: 0.5 }])).toEqual({
      running_yield: 100,
      grams_used_estimate: 500,
      nominal_grams: 500,
      units: 1000,
    });
    // 0.55 g per 0.5 g unit: 550 g used for 500 g sold → 90.91 %
    expect(runningYield("0_5", 1000, [{ count: 400, flowerWeight: 0.55 }])).toMatchObject({
      running_yield: 90.91,
      grams_used_estimate: 550,
    });
    expect(runningYield("1_0", 200, [{ count: 10, flowerWeight: 0.9 }])).toMatchObject({
      running_yield: 111.11,
      grams_used_estimate: 180,
      nominal_grams: 200,
    });
  });

  it("gives each unit the weight of the nearest check by count", () => {
    // checks at 0 (0.55 g) and 1000 (0.50 g), 1000 counted: boundary at 500 → 275 + 250 = 525 g
    expect(
      runningYield("0_5", 1000, [
        { count: 0, flowerWeight: 0.55 },
        { count: 1000, flowerWeight: 0.5 },
      ]),
    ).toMatchObject({ grams_used_estimate: 525, running_yield: 95.24 });
    // after the last check the last weight applies: 0–300 at 0.6, 300–1000 at 0.5 → 180 + 350 = 530 g
    expect(
      runningYield("0_5", 1000, [
        { count: 200, flowerWeight: 0.6 },
        { count: 400, flowerWeight: 0.5 },
      ]),
    ).toMatchObject({ grams_used_estimate: 530 });
    // order of the points does not matter; checks at the same count are averaged
    const a = runningYield("0_7", 700, [
      { count: 600, flowerWeight: 0.7 },
      { count: 100, flowerWeight: 0.8 },
      { count: 100, flowerWeight: 0.6 },
    ]);
    expect(a).toMatchObject({ grams_used_estimate: 490, running_yield: 100 });
  });

  it("counts only the units counted when checks claim more (a count corrected down)", () => {
    // checks at 200 and 1000, only 300 counted: boundary 600 lies beyond, so all 300 at the first check
    expect(
      runningYield("0_5", 300, [
        { count: 200, flowerWeight: 0.6 },
        { count: 1000, flowerWeight: 0.4 },
      ]),
    ).toMatchObject({ grams_used_estimate: 180, units: 300 });
  });

  it("colours the yield with the same bands around 100 %, none when missing", () => {
    expect(yieldStatus(0, 10)).toBeNull();
    expect(yieldStatus(95, 10)).toBe("good");
    expect(yieldStatus(85, 10)).toBe("warning");
    expect(yieldStatus(125, 10)).toBe("bad");
  });
});

describe("spread and trend", () => {
  it("mean/min/max and sample standard deviation (none below two values)", () => {
    expect(spread([])).toEqual({ mean: null, min: null, max: null, std_dev: null });
    expect(spread([0.5])).toEqual({ mean: 0.5, min: 0.5, max: 0.5, std_dev: null });
    expect(spread([0.4, 0.5, 0.6])).toEqual({ mean: 0.5, min: 0.4, max: 0.6, std_dev: 0.1 });
  });

  it("rising, falling or stable by the fitted change against half the tolerance", () => {
    expect(trendOf([0.5], 0.5, 10).direction).toBe("insufficient_data");
    expect(trendOf([0.5, 0.52, 0.55, 0.6], 0.5, 10)).toMatchObject({ direction: "rising" });
    expect(trendOf([0.6, 0.55, 0.5], 0.5, 10)).toMatchObject({ direction: "falling", change_percent: -20, slope_percent_per_check: -10 });
    expect(trendOf([0.5, 0.51, 0.5, 0.51], 0.5, 10).direction).toBe("stable");
  });
});

describe("the stored log", () => {
  it("reads legacy entries, deriving what they lack with the current tare", () => {
    const log = parseWeightLog(
      [
        { timestamp: "2025-01-02T10:00:00", sample_weight: 6.5, unit_weight: 0.65, count: 300, within_tolerance: true, actor: "maria" },
        { timestamp: "2025-01-02T11:00:00", sample_weight: "7.4", count: "500" },
        "garbage",
        { timestamp: "2025-01-02T12:00:00" },
      ],
      "0_5",
      { tare: 0.12, tolerancePercent: 10 },
    );
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      check_id: null,
      flower_weight: 0.53,
      deviation_percent: 6,
      count: 300,
      status: "good",
      within_tolerance: true,
      actor: "maria",
    });
    expect(log[1]).toMatchObject({ unit_weight: 0.74, count: 500, status: "bad", within_tolerance: false, actor: "unknown" });
    expect(log[1].flower_weight).toBeCloseTo(0.62, 10);
    expect(latestEntry(log)?.count).toBe(500);
    expect(parseWeightLog(null, "0_5", { tare: 0.12, tolerancePercent: 10 })).toEqual([]);
  });
});
