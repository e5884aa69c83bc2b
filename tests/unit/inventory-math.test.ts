import { describe, expect, it } from "vitest";
import type { Supply } from "@/lib/generated/prisma/client";
import { usageAnalytics, windowStart, USAGE_WINDOW_DAYS } from "@/lib/domain/supplies/usage-analytics";
import { dismissalHolds } from "@/lib/domain/supplies/dismissal";
import { isCritical, isLow, splitUnits, totalUnits } from "@/lib/domain/supplies/stock-math";
import * as consume from "@/lib/domain/supplies/consume-supplies";
import { normalizePaperSize, sizeLabel } from "@/lib/domain/supplies/paper-sizes";
import { localZone } from "@/lib/domain/batches/rate/working-clock";

const supply = (over: Partial<Supply> = {}): Supply => ({
  id: "s1",
  kind: "paper",
  size: "0_7",
  name: "0.7 g cones",
  unit: "papers",
  boxes: 3,
  individual_units: 200,
  units_per_box: 800,
  low_threshold_boxes: 5,
  alert_dismissed_at: null,
  last_updated: new Date(),
  ...over,
});

describe("stock math", () => {
  it("totals boxes and loose units; low is below threshold boxes; critical below one box", () => {
    expect(totalUnits(supply())).toBe(2600);
    expect(isLow(supply())).toBe(true);
    expect(isLow(supply({ boxes: 5, individual_units: 0 }))).toBe(false);
    expect(isCritical(supply())).toBe(false);
    expect(isCritical(supply({ boxes: 0, individual_units: 799 }))).toBe(true);
    expect(isCritical(supply({ boxes: 0, individual_units: 0, low_threshold_boxes: 0 }))).toBe(false);
    expect(splitUnits(2601, 800)).toEqual({ boxes: 3, individual_units: 201 });
  });

  it("consume-supplies keeps its exports", () => {
    expect(consume.totalUnits).toBe(totalUnits);
    expect(typeof consume.consumeSupply).toBe("function");
    expect(consume.splitUnits(-5, 800)).toEqual({ boxes: 0, individual_units: 0 });
  });
});

describe("days remaining", () => {
  it("averages over production days only, so a week off does not stretch the prediction", () => {
    // 4,000 papers used over 5 production days in a 14-day window that had a week off:
    expect(usageAnalytics(8000, 4000, 5)).toEqual({ average_daily_usage: 800, predicted_days_remaining: 10 });
    // The same usage averaged over 14 calendar days would claim 28 days — the old, unreliable figure.
    expect(usageAnalytics(8000, 4000, 14).predicted_days_remaining).toBe(28);
  });

  it("is null without usage, zero with an empty shelf, and rounds to one decimal", () => {
    expect(usageAnalytics(5000, 0, 3)).toEqual({ average_daily_usage: null, predicted_days_remaining: null });
    expect(usageAnalytics(5000, 10, 0)).toEqual({ average_daily_usage: null, predicted_days_remaining: null });
    expect(usageAnalytics(0, 300, 3).predicted_days_remaining).toBe(0);
    expect(usageAnalytics(1000, 700, 3)).toEqual({ average_daily_usage: 233.3, predicted_days_remaining: 4.3 });
  });

  it("the window starts at local midnight 13 days before today", () => {
    const now = new Date(2026, 10, 24, 15, 30);
    expect(USAGE_WINDOW_DAYS).toBe(14);
    expect(windowStart(now, localZone)).toEqual(new Date(2026, 10, 11, 0, 0, 0, 0));
  });
});

describe("dismissed alerts", () => {
  const dismissed = (over: Partial<Supply>) => supply({ alert_dismissed_at: new Date(), ...over });

  it("stay dismissed while the stock is within one box of the level at dismissal", () => {
    // dismissed at 2,600 papers, 800 per box: hidden down to 1,801, back at 1,800
    expect(dismissalHolds(dismissed({ boxes: 3, individual_units: 200 }), 2600)).toBe(true);
    expect(dismissalHolds(dismissed({ boxes: 2, individual_units: 201 }), 2600)).toBe(true);
    expect(dismissalHolds(dismissed({ boxes: 2, individual_units: 200 }), 2600)).toBe(false);
  });

  it("end when the stock is back at the threshold, or when never dismissed", () => {
    expect(dismissalHolds(dismissed({ boxes: 5, individual_units: 0 }), 2600)).toBe(false);
    expect(dismissalHolds(supply(), 2600)).toBe(false);
    expect(dismissalHolds(dismissed({}), null)).toBe(true);
  });
});

describe("paper sizes", () => {
  it("accepts the contract keys and the forms people type", () => {
    for (const s of ["0_5", "0.5", "0.5g", "0.5 g", ".5"]) expect(normalizePaperSize(s)).toBe("0_5");
    for (const s of ["1_0", "1.0g", "1g", "1"]) expect(normalizePaperSize(s)).toBe("1_0");
    expect(normalizePaperSize("0_7")).toBe("0_7");
    for (const s of ["0_6", "", "big", null, undefined, {}]) expect(normalizePaperSize(s)).toBeNull();
    expect(sizeLabel("0_7")).toBe("0.7g");
  });
});
