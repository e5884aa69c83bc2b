import { describe, expect, it } from "vitest";
import {
  averageRate,
  batchesDone,
  finishedGoodsGrams,
  periodDays,
  productionDays,
  rateRows,
  ratePoints,
} from "@/components/analytics/series";
import type { Batch } from "@/lib/domain/batches/batch-response";
import type { FinishedGoodHistoryResponse } from "@/lib/domain/finished-goods/finished-good-response";

const now = new Date(2026, 11, 7, 15, 0);
const at = (daysAgo: number, hour = 12) => new Date(2026, 11, 7 - daysAgo, hour).toISOString();

function batch(overrides: Partial<Batch>): Batch {
  return {
    id: "b",
    strain: "Kush",
    stage: 3,
    counts_0_5: 100,
    counts_0_7: 50,
    counts_1_0: 10,
    production_end_time: null,
    production_sessions: null,
    total_work_hours: 0,
    production_duration_hours: null,
    rate_metrics: null,
    cached_production_rate: null,
    ...overrides,
  } as Batch;
}

describe("analytics series", () => {
  it("a batch is done in the period by its end time, else its last session's end once past In progress", () => {
    const since = new Date(2026, 11, 1);
    const done = batchesDone(
      [
        batch({ id: "end", production_end_time: at(2) }),
        batch({ id: "old", production_end_time: at(20) }),
        batch({ id: "session", production_sessions: [{ start: at(4), end: at(3) }] }),
        batch({ id: "rolling", stage: 2, production_sessions: [{ start: at(1), end: at(0) }] }),
      ],
      since,
    );
    expect(done.map((b) => b.id)).toEqual(["end", "session"]);
  });

  it("average rate is units over hours of the batches with hours, per size", () => {
    const list = [
      batch({ total_work_hours: 2, counts_0_5: 100, counts_0_7: 0, counts_1_0: 0 }),
      batch({ production_duration_hours: 3, counts_0_5: 200, counts_0_7: 50, counts_1_0: 0 }),
      batch({ counts_0_5: 999 }), // no hours: left out
    ];
    expect(averageRate(list, "all")).toBe(350 / 5);
    expect(averageRate(list, "0_7")).toBe(10);
    expect(averageRate([batch({})], "all")).toBeNull();
    // Without recorded hours, the batch's average rate stands for them (160 units at 40/h = 4 h).
    const rated = batch({ rate_metrics: { average_rate: 40 } as Batch["rate_metrics"] });
    expect(averageRate([rated], "all")).toBe(40);
    expect(averageRate([rated], "0_5")).toBe(25);
  });

  it("production days keep only the chosen size", () => {
    const rows = productionDays({ days: 1, daily_production: [{ date: "2026-12-07", total: 6, "0_5": 1, "0_7": 2, "1_0": 3 }] }, "0_7");
    expect(rows).toEqual([{ date: "2026-12-07", total: 2, "0_5": 0, "0_7": 2, "1_0": 0 }]);
  });

  it("rate rows: one per day, the mean rate of each strain's batches that day", () => {
    const points = ratePoints(
      [
        batch({ id: "a", strain: "Kush", total_work_hours: 1, production_end_time: at(1) }),
        batch({ id: "b", strain: "Kush", total_work_hours: 2, production_end_time: at(1, 14) }),
        batch({ id: "c", strain: "Haze", total_work_hours: 4, production_end_time: at(0) }),
      ],
      "all",
    );
    expect(points.map((p) => p.rate)).toEqual([160, 80, 40]);
    expect(rateRows(points)).toEqual({
      strains: ["Haze", "Kush"],
      rows: [
        { date: "2026-12-06", Kush: 120 },
        { date: "2026-12-07", Haze: 40 },
      ],
    });
  });

  it("finished-goods grams at the end of each day: each package's latest grams, archived ones as 0", () => {
    const row = (id: number, metrc: string, daysAgo: number, change_type: string, current_grams: number, status = "active") =>
      ({
        id,
        metrc_number: metrc,
        timestamp: at(daysAgo),
        change_type,
        current_grams,
        status,
      }) as FinishedGoodHistoryResponse["history"][number];
    const days = periodDays(3, now);
    expect(days).toEqual(["2026-12-05", "2026-12-06", "2026-12-07"]);
    const grams = finishedGoodsGrams(
      [
        row(1, "A", 10, "created", 100),
        row(2, "B", 1, "created", 50),
        row(3, "A", 1, "deduct", 80),
        row(4, "C", 0, "deduct", 30), // C existed before with unknown grams: taken as 30 all along
        row(5, "B", 0, "archive", 50, "archived"),
      ],
      days,
    );
    expect(grams).toEqual([
      { date: "2026-12-05", grams: 130 },
      { date: "2026-12-06", grams: 160 },
      { date: "2026-12-07", grams: 110 },
    ]);
  });
});
