import { describe, expect, it } from "vitest";
import {
  computeRate,
  estimateCompletion,
  RATE_HISTORY_LIMIT,
  rateTrend,
  regressionRate,
  type CountRow,
} from "@/lib/domain/batches/rate/production-rate";
import { projectRates } from "@/lib/domain/batches/rate-projection";
import type { WorkSchedule } from "@/lib/domain/batches/rate/working-clock";

/** Local-time dates (see rate-clock.test.ts); 2026-01-05 is a Monday, 01-09 a Friday. */
const at = (day: number, hour: number, minute = 0) => new Date(2026, 0, day, hour, minute);
const MON = 5,
  TUE = 6,
  FRI = 9,
  SAT = 10,
  NEXT_MON = 12;
const weekdays: WorkSchedule = { start_hour: 9, end_hour: 17, work_days: [0, 1, 2, 3, 4] };
const allDay: WorkSchedule = { start_hour: 0, end_hour: 24, work_days: [0, 1, 2, 3, 4, 5, 6] };
/** Rows of one size whose running total is `total`. */
const rows = (...points: [Date, number][]): CountRow[] => points.map(([d, total]) => ({ size: "0_5", total_after: total, at: d }));

describe("production rate: least squares on working hours", () => {
  it("0 points → null rate, empty history", () => {
    const r = computeRate([], weekdays);
    expect(r.rate).toBeNull();
    expect(r.history).toEqual([]);
    expect(r.metrics).toMatchObject({ average_rate: null, peak_rate: null, trend: "stable", data_points: 0, working_hours: 0 });
  });

  it("1 point → null rate; the history keeps the point with rate null", () => {
    const r = computeRate(rows([at(MON, 10), 50]), weekdays);
    expect(r.rate).toBeNull();
    expect(r.history).toEqual([{ timestamp: at(MON, 10).toISOString(), rate: null, total_count: 50 }]);
    expect(regressionRate([{ hours: 0, total: 50 }])).toBeNull();
  });

  it("2 points → the slope between them", () => {
    expect(computeRate(rows([at(MON, 9), 10], [at(MON, 11), 60]), weekdays).rate).toBe(25);
  });

  it("2 points with no working time between them (a Saturday) → null", () => {
    expect(computeRate(rows([at(SAT, 9), 10], [at(SAT, 11), 60]), weekdays).rate).toBeNull();
  });

  it("rows saved together (several sizes at one instant) are one point with the all-size total", () => {
    const r = computeRate(
      [
        { size: "0_5", total_after: 10, at: at(MON, 9) },
        { size: "0_5", total_after: 40, at: at(MON, 11) },
        { size: "1_0", total_after: 20, at: at(MON, 11) },
      ],
      weekdays,
    );
    expect(r.history.map((h) => h.total_count)).toEqual([10, 60]);
    expect(r.rate).toBe(25); // (60 − 10) / 2 h
  });

  it("a weekend gap does not lower the rate (collinear: exactly 12.5/h)", () => {
    // 100 units Friday 9–17 (8 h), 50 units Monday 9–13 (4 h): 12.5 units per working hour.
    const r = computeRate(rows([at(FRI, 9), 25], [at(FRI, 17), 125], [at(NEXT_MON, 13), 175]), weekdays);
    expect(r.rate).toBe(12.5);
    expect(r.metrics.average_rate).toBe(12.5);
  });

  it("100 units Friday 9–17 and 100 units Monday 9–13: the rate of working time only (hand-computed)", () => {
    // x = 0, 8, 12 working hours; y = 10, 110, 210.
    // x̄ = 20/3, ȳ = 110; Σ(x−x̄)(y−ȳ) = 2000/3 + 0 + 1600/3 = 1200; Σ(x−x̄)² = 672/9 → slope = 225/14 ≈ 16.07.
    const weekend = computeRate(rows([at(FRI, 9), 10], [at(FRI, 17), 110], [at(NEXT_MON, 13), 210]), weekdays);
    expect(weekend.rate).toBe(16.07);
    expect(weekend.history.map((h) => h.rate)).toEqual([null, 12.5, 16.07]);
    expect(weekend.metrics).toMatchObject({ average_rate: 16.67, peak_rate: 16.07, working_hours: 12, data_points: 3 });
    // Overnight instead of over a weekend: identical.
    const overnight = computeRate(rows([at(MON, 9), 10], [at(MON, 17), 110], [at(TUE, 13), 210]), weekdays);
    expect(overnight.rate).toBe(weekend.rate);
    // On a 24/7 clock the 64 idle hours would count: x = 0, 8, 76 → 7600 / 3488 ≈ 2.18.
    expect(computeRate(rows([at(FRI, 9), 10], [at(FRI, 17), 110], [at(NEXT_MON, 13), 210]), allDay).rate).toBe(2.18);
  });

  it("peak_rate ignores slopes over less than an hour of working time", () => {
    // 50 units in the first minute (3000/h between the first two points), then a steady pace.
    const r = computeRate(rows([at(MON, 9), 10], [at(MON, 9, 1), 60], [at(MON, 11), 100], [at(MON, 13), 140]), weekdays);
    expect(r.history[1].rate).toBe(3000);
    expect(r.metrics.peak_rate).toBeLessThan(100);
    expect(r.metrics.peak_rate).toBe(Math.max(r.history[2].rate!, r.history[3].rate!));
  });

  it("keeps the newest RATE_HISTORY_LIMIT points", () => {
    const many = Array.from(
      { length: RATE_HISTORY_LIMIT + 200 },
      (_, i) => [new Date(at(MON, 9).getTime() + i * 1000), i + 1] as [Date, number],
    );
    const r = computeRate(rows(...many), weekdays);
    expect(r.history).toHaveLength(RATE_HISTORY_LIMIT);
    expect(r.history.at(-1)?.total_count).toBe(RATE_HISTORY_LIMIT + 200);
    expect(r.metrics.data_points).toBe(RATE_HISTORY_LIMIT + 200);
    expect(r.rate).toBe(3600);
  });
});

describe("trend over the last 5 rates (newest vs oldest, ±5 %)", () => {
  it("classifies", () => {
    expect(rateTrend([10, 11, 12])).toBe("increasing");
    expect(rateTrend([12, 11, 10])).toBe("decreasing");
    expect(rateTrend([10, 10.2, 10.3])).toBe("stable"); // +3 %
    expect(rateTrend([null, 10, 20])).toBe("stable"); // fewer than 3 rates
    expect(rateTrend([100, 10, 10, 10, 10, 11])).toBe("increasing"); // 100 is outside the window: 10 → 11
    expect(rateTrend([10, 50, 50, 50, 50, 10])).toBe("decreasing"); // 50 → 10
  });

  it("accelerating production reads as increasing", () => {
    const r = computeRate(
      rows([at(MON, 9), 10], [at(MON, 10), 20], [at(MON, 11), 30], [at(MON, 12), 50], [at(MON, 13), 80], [at(MON, 14), 120]),
      weekdays,
    );
    expect(r.metrics.trend).toBe("increasing");
  });
});

describe("ETA to the plan", () => {
  it("remaining ÷ rate in working hours, placed on the calendar across a weekend", () => {
    // 100 units left at 25/h = 4 working hours; Friday 15:00 + 2 h Friday + 2 h Monday → Monday 11:00.
    const eta = estimateCompletion({ totalCount: 400, totalPlanned: 500, rate: 25, from: at(FRI, 15) }, weekdays);
    expect(eta).toEqual({ remaining_units: 100, eta_working_hours: 4, estimated_completion: at(NEXT_MON, 11).toISOString() });
  });

  it("from outside hours it starts at the next window", () => {
    const eta = estimateCompletion({ totalCount: 0, totalPlanned: 50, rate: 100, from: at(SAT, 12) }, weekdays);
    expect(eta.estimated_completion).toBe(at(NEXT_MON, 9, 30).toISOString());
  });

  it("plan met, no plan, no rate", () => {
    expect(estimateCompletion({ totalCount: 600, totalPlanned: 500, rate: 25, from: at(MON, 9) }, weekdays)).toEqual({
      remaining_units: 0,
      eta_working_hours: 0,
      estimated_completion: null,
    });
    expect(estimateCompletion({ totalCount: 10, totalPlanned: 0, rate: 25, from: at(MON, 9) }, weekdays).remaining_units).toBeNull();
    expect(estimateCompletion({ totalCount: 10, totalPlanned: 100, rate: null, from: at(MON, 9) }, weekdays)).toEqual({
      remaining_units: 90,
      eta_working_hours: null,
      estimated_completion: null,
    });
  });
});

describe("strain projection arithmetic", () => {
  it("mean of the rates; confidence grows with sample size and falls with spread", () => {
    expect(projectRates([])).toEqual({ projected_rate: null, confidence: 0 });
    expect(projectRates([100])).toEqual({ projected_rate: 100, confidence: 0.2 });
    expect(projectRates([100, 100, 100, 100, 100])).toEqual({ projected_rate: 100, confidence: 1 });
    // mean 100, population sd 20 → cv 0.2; n = 2 → 0.4 × 0.8
    expect(projectRates([80, 120])).toEqual({ projected_rate: 100, confidence: 0.32 });
  });
});
