import { describe, expect, it } from "vitest";
import {
  confidenceLevel,
  confidenceScore,
  newestHarvestAge,
  outcomeWeight,
  qualityScore,
  recommend,
  weightedStats,
} from "@/lib/domain/centrifuge/learning/recommend";
import { daysSinceHarvest, strainKey } from "@/lib/domain/centrifuge/strain";
import { optimalRpm, rpmTrend } from "@/lib/domain/centrifuge/trends";
import { sample } from "@/prisma/seed/centrifuge";
import type { CentrifugeOutcome } from "@/lib/generated/prisma/client";

const E2 = Math.exp(-2); // 0.1353352832

describe("quality and weights", () => {
  it("quality blends pass rate and yield per priority mode; one alone counts alone; neither is 0.5", () => {
    expect(qualityScore({ weight_check_pass_rate: 90, yield_percent: 95 }, "weight")).toBeCloseTo(0.7 * 0.9 + 0.3 * 0.95, 10); // 0.915
    expect(qualityScore({ weight_check_pass_rate: 90, yield_percent: 95 }, "count")).toBeCloseTo(0.3 * 0.9 + 0.7 * 0.95, 10); // 0.935
    expect(qualityScore({ weight_check_pass_rate: null, yield_percent: 80 })).toBeCloseTo(0.8, 10);
    expect(qualityScore({ weight_check_pass_rate: 60, yield_percent: null })).toBeCloseTo(0.6, 10);
    expect(qualityScore({ weight_check_pass_rate: null, yield_percent: null })).toBe(0.5);
    expect(qualityScore({ weight_check_pass_rate: 150, yield_percent: -5 })).toBeCloseTo(0.7, 10); // clamped to [0, 1]
  });

  it("weight = exp(4(q−1)) × exp(−|Δdays|/14); no reference → 1; outcome without age → 0.5", () => {
    const perfect = sample({ weight_check_pass_rate: 100, yield_percent: 100, days_since_harvest: 30 });
    expect(outcomeWeight(perfect, "weight", 30)).toBeCloseTo(1, 12);
    expect(outcomeWeight(perfect, "weight", 44)).toBeCloseTo(Math.exp(-1), 12);
    expect(outcomeWeight(perfect, "weight", null)).toBe(1);
    expect(outcomeWeight({ ...perfect, days_since_harvest: null }, "weight", 30)).toBe(0.5);
    const half = sample({ weight_check_pass_rate: 50, yield_percent: 50, days_since_harvest: 30 });
    expect(outcomeWeight(half, "weight", 30)).toBeCloseTo(E2, 12);
  });

  it("weighted mean and coefficient of variation", () => {
    expect(weightedStats([2000, 2400], [1, 1])).toEqual({ mean: 2200, cv: 200 / 2200 });
    expect(weightedStats([2000, 2400], [3, 1]).mean).toBe(2100);
  });

  it("the reference age is the newest outcome's that has one", () => {
    const a = sample({ days_since_harvest: 10 });
    const b = sample({ days_since_harvest: 40 });
    const c = sample({ days_since_harvest: null });
    expect(newestHarvestAge([a, b, c])).toBe(40);
    expect(newestHarvestAge([c])).toBeNull();
  });
});

describe("recommendation", () => {
  it("is null without outcomes", () => {
    expect(recommend([])).toBeNull();
  });

  it("leans towards better results: 2000 rpm at q=1 and 2400 rpm at q=0.5 → (2000 + 2400e⁻²)/(1 + e⁻²) = 2047.68 → 2048", () => {
    const good = sample({ rpm: 2000, time_seconds: 12, weight_check_pass_rate: 100, yield_percent: 100 });
    const poor = sample({ rpm: 2400, time_seconds: 20, weight_check_pass_rate: 50, yield_percent: 50 });
    const rec = recommend([good, poor])!;
    expect(rec.rpm).toBe(2048);
    expect(rec.time_seconds).toBe(Math.round((12 + 20 * E2) / (1 + E2))); // 12.95 → 13
    expect(rec.sample_size).toBe(2);
  });

  it("leans towards outcomes of a similar harvest age (28 days apart → weight e⁻²); temporal off ignores age", () => {
    const young = sample({ rpm: 2000, days_since_harvest: 30 });
    const old = sample({ rpm: 2400, days_since_harvest: 58 });
    expect(recommend([young, old], { referenceDays: 30 })!.rpm).toBe(2048);
    expect(recommend([young, old], { referenceDays: 58 })!.rpm).toBe(2352);
    expect(recommend([young, old])!.rpm).toBe(2352); // default reference: the newest outcome's age (58)
    expect(recommend([young, old], { temporal: false })!.rpm).toBe(2200);
  });

  it("priority mode changes which result counts: weight favours pass rate, count favours yield", () => {
    const accurate = sample({ rpm: 2000, weight_check_pass_rate: 100, yield_percent: 60 });
    const productive = sample({ rpm: 2400, weight_check_pass_rate: 60, yield_percent: 100 });
    expect(recommend([accurate, productive], { priorityMode: "weight", temporal: false })!.rpm).toBeLessThan(2200);
    expect(recommend([accurate, productive], { priorityMode: "count", temporal: false })!.rpm).toBeGreaterThan(2200);
  });

  it("cycles are the weighted mode; fill gauges whole steps 1–12; cycle 2 only from 2-cycle runs", () => {
    const rec = recommend(
      [
        sample({ cycles: 2, fill_gauge_cycle1: 3, fill_gauge_cycle2: 5 }),
        sample({ cycles: 2, fill_gauge_cycle1: 4, fill_gauge_cycle2: 6 }),
        sample({ cycles: 1, fill_gauge_cycle1: 12, fill_gauge_cycle2: null }),
      ],
      { temporal: false },
    )!;
    expect(rec.cycles).toBe(2);
    expect(rec.fill_gauge_cycle1).toBe(Math.round((3 + 4 + 12) / 3)); // 6.33 → 6
    expect(rec.fill_gauge_cycle2).toBe(6); // (5 + 6) / 2 = 5.5 → 6
    const single = recommend([sample({ cycles: 1, fill_gauge_cycle2: 7 })])!;
    expect(single.fill_gauge_cycle2).toBeNull();
    expect(recommend([sample({ fill_gauge_cycle1: null })])!.fill_gauge_cycle1).toBeNull();
  });
});

describe("confidence", () => {
  it("S × D with S = n/(n+2), D = 1/(1 + (cv_rpm + cv_time)/0.5)", () => {
    expect(confidenceScore(0, 0, 0)).toBe(0);
    expect(confidenceScore(1, 0, 0)).toBe(0.33);
    expect(confidenceScore(2, 0, 0)).toBe(0.5);
    expect(confidenceScore(8, 0, 0)).toBe(0.8);
    expect(confidenceScore(2, 0.1, 0)).toBe(0.42); // 0.5 × 1/1.2 = 0.4167
    expect(confidenceScore(2, 0.25, 0.25)).toBe(0.25); // 0.5 × 0.5
  });

  it("grows with every consistent outcome and stays below 1", () => {
    const values = [1, 2, 3, 5, 10, 50].map((n) => recommend(Array.from({ length: n }, () => sample()))!.confidence);
    expect(values).toEqual([0.33, 0.5, 0.6, 0.71, 0.83, 0.96]);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
  });

  it("shrinks with spread: 2000/2400 rpm (cv 0.0909) → 0.5 × 1/1.1818 = 0.42 against 0.5 for identical runs", () => {
    const spread = recommend([sample({ rpm: 2000 }), sample({ rpm: 2400 })], { temporal: false })!;
    const same = recommend([sample({ rpm: 2200 }), sample({ rpm: 2200 })], { temporal: false })!;
    expect(spread.confidence).toBe(0.42);
    expect(same.confidence).toBe(0.5);
  });

  it("levels: high ≥ 0.7, medium ≥ 0.4, else low", () => {
    expect([0.9, 0.7, 0.69, 0.4, 0.39, 0].map(confidenceLevel)).toEqual(["high", "high", "medium", "medium", "low", "low"]);
  });

  it("is deterministic: the same outcomes give the same recommendation (re-running changes nothing)", () => {
    const outcomes = [sample({ rpm: 1900 }), sample({ rpm: 2300, yield_percent: 70 }), sample({ rpm: 2100, days_since_harvest: 60 })];
    expect(recommend(outcomes)).toEqual(recommend([...outcomes]));
  });
});

describe("trend helpers and strain keys", () => {
  it("rpm trend by least squares, ±2 % of the mean over the timeline", () => {
    expect(rpmTrend([2000])).toBe("insufficient_data");
    expect(rpmTrend([2000, 2100, 2200])).toBe("increasing");
    expect(rpmTrend([2200, 2100, 2000])).toBe("decreasing");
    expect(rpmTrend([2000, 2020, 2010])).toBe("stable");
  });

  it("optimal rpm is the best run's (ties → newest)", () => {
    const o = (rpm: number, pass: number) => ({ rpm, weight_check_pass_rate: pass, yield_percent: pass }) as CentrifugeOutcome;
    expect(optimalRpm([o(2000, 80), o(2200, 95), o(2400, 90)])).toBe(2200);
    expect(optimalRpm([o(2000, 95), o(2100, 95)])).toBe(2100);
    expect(optimalRpm([])).toBeNull();
  });

  it("strain keys ignore case and spacing; harvest age in whole days, never negative", () => {
    expect(strainKey("  Blue   Dream ")).toBe(strainKey("blue dream"));
    expect(daysSinceHarvest("2026-01-01", new Date("2026-01-31T23:00:00Z"))).toBe(30);
    expect(daysSinceHarvest("2026-02-01", new Date("2026-01-31T23:00:00Z"))).toBe(0);
    expect(daysSinceHarvest(null)).toBeNull();
    expect(daysSinceHarvest("01/02/2026")).toBeNull();
  });
});
