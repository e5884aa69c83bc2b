import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "csv/sync";
import { computeRecommendations, daysUntilStockout, priorityScore, urgencyFor } from "@/lib/domain/recommendations/formulas";
import { normalizeHeader, parseNumber, parseSalesCsv, storeFromFileName } from "@/lib/domain/recommendations/sales-csv";
import { compareRows, insightsFrom, snapshotCsv } from "@/lib/domain/recommendations/compare";
import { snapshotTimestamp } from "@/lib/domain/recommendations/snapshots";

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, "../fixtures/store-sales", name), "utf8");

describe("recommendation formulas", () => {
  it("days until stock-out = inventory ÷ average daily sales; null when nothing sells", () => {
    expect(daysUntilStockout(12, 5)).toBe(2.4);
    expect(daysUntilStockout(0, 3)).toBe(0);
    expect(daysUntilStockout(50, 0)).toBeNull();
  });

  it("urgency: critical ≤ 3 days, high ≤ 7, medium ≤ 14, low beyond or without sales", () => {
    expect([0, 3, 3.1, 7, 7.1, 14, 14.1].map(urgencyFor)).toEqual(["critical", "critical", "high", "high", "medium", "medium", "low"]);
    expect(urgencyFor(null)).toBe("low");
  });

  it("priority score = 70 × time factor (30-day horizon) + 30 × relative velocity", () => {
    expect(priorityScore(0, 10, 10)).toBe(100);
    expect(priorityScore(15, 5, 10)).toBe(50); // 70 × 0.5 + 30 × 0.5
    expect(priorityScore(45, 10, 10)).toBe(30); // beyond the horizon: velocity only
    expect(priorityScore(null, 0, 10)).toBe(0);
    expect(priorityScore(3, 1, 0)).toBe(63);
  });

  it("combines stores per strain (names matched with strainKey) and ranks by priority", () => {
    const rows = [
      { file: "a.csv", line: 2, store: "A", strain: "Blue Dream", inventory: 10, avg_daily_sales: 2 },
      { file: "b.csv", line: 2, store: "B", strain: "blue  dream ", inventory: 20, avg_daily_sales: 3 },
      { file: "b.csv", line: 3, store: "B", strain: "Runtz", inventory: 100, avg_daily_sales: 1 },
      { file: "b.csv", line: 4, store: "b", strain: "Runtz", inventory: 5, avg_daily_sales: 0 },
    ];
    const r = computeRecommendations(rows);
    expect(r.store_names).toEqual(["A", "B"]);
    expect(r.combined).toEqual([
      {
        strain: "Blue Dream",
        total_inventory: 30,
        avg_sold_per_day: 5,
        store_count: 2,
        days_until_stockout: 6,
        urgency: "high",
        priority_score: 86,
      },
      {
        strain: "Runtz",
        total_inventory: 105,
        avg_sold_per_day: 1,
        store_count: 1,
        days_until_stockout: 105,
        urgency: "low",
        priority_score: 6,
      },
    ]);
    expect(r.stores.map((s) => [s.store, s.strain, s.total_inventory, s.urgency])).toEqual([
      ["A", "Blue Dream", 10, "high"],
      ["B", "Blue Dream", 20, "high"],
      ["B", "Runtz", 105, "low"],
    ]);
  });
});

describe("store sales CSV parsing", () => {
  it("maps header aliases, takes units sold ÷ period days, keeps quoted commas", () => {
    const r = parseSalesCsv("downtown-week.csv", fixture("downtown-week.csv"));
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(5);
    expect(r.rows[0]).toEqual({
      file: "downtown-week.csv",
      line: 2,
      store: "Downtown",
      strain: "Blue Dream",
      inventory: 12,
      avg_daily_sales: 5,
    });
    expect(r.rows[3].strain).toBe("Wedding Cake, Indoor");
  });

  it("reads semicolons, CRLF, a blank line, thousands separators; store from the file name; unknown columns ignored", () => {
    const r = parseSalesCsv("uploads/northside.csv", fixture("northside.csv"));
    expect(r.errors).toEqual([]);
    expect(r.ignored_columns).toEqual(["Notes"]);
    expect(r.rows.map((x) => [x.line, x.store, x.strain, x.inventory, x.avg_daily_sales])).toEqual([
      [2, "northside", "blue dream", 30, 2.5],
      [3, "northside", "GELATO 41", 1200, 10],
      [5, "northside", "Runtz", 8, 1],
    ]);
  });

  it("reports every bad row with file, line and column", () => {
    const r = parseSalesCsv("bad-rows.csv", fixture("bad-rows.csv"));
    expect(r.rows.map((x) => x.strain)).toEqual(["Sour Diesel"]);
    expect(r.errors).toEqual([
      { file: "bad-rows.csv", line: 2, column: "inventory", message: 'Inventory "ten" is not a number' },
      { file: "bad-rows.csv", line: 3, column: "strain", message: "Missing strain" },
      { file: "bad-rows.csv", line: 4, column: "inventory", message: "Inventory cannot be negative" },
      { file: "bad-rows.csv", line: 5, message: "Has 5 fields but the header has 4" },
    ]);
  });

  it("refuses a file without the needed columns, an empty file and broken quoting", () => {
    const missing = parseSalesCsv("m.csv", fixture("missing-columns.csv"));
    expect(missing.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Missing an inventory column/),
      "Missing sales columns: avg_daily_sales, or units_sold together with period_days",
    ]);
    expect(parseSalesCsv("e.csv", "").errors[0].message).toMatch(/empty/);
    expect(parseSalesCsv("h.csv", "strain,inventory,avg_daily_sales\n").errors[0].message).toBe("No data rows after the header");
    const broken = parseSalesCsv("q.csv", 'strain,inventory,avg_daily_sales\n"Blue Dream,3,1\n');
    expect(broken.errors[0]).toMatchObject({ file: "q.csv", message: expect.stringMatching(/^Not a readable CSV/) });
    const dup = parseSalesCsv("d.csv", "strain,product,inventory,avg_daily_sales\nA,B,1,1\n");
    expect(dup.errors[0].message).toBe("Several columns mean strain: strain, product");
  });

  it("helpers: header normalisation, numbers, store names", () => {
    expect(normalizeHeader("\uFEFF Qty On-Hand ")).toBe("qty_on_hand");
    expect(parseNumber("1,250.5")).toBe(1250.5);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("12 units")).toBeNaN();
    expect(storeFromFileName("C:\\exports\\Harbor Wellness.csv")).toBe("Harbor Wellness");
  });
});

describe("comparisons, insights, export", () => {
  const row = (strain: string, inv: number, avg: number) => {
    const days = daysUntilStockout(inv, avg);
    return { strain, total_inventory: inv, avg_sold_per_day: avg, days_until_stockout: days, urgency: urgencyFor(days), priority_score: 0 };
  };

  it("classifies strains as new, removed, changed or unchanged with deltas", () => {
    const c = compareRows(
      [row("Blue Dream", 30, 5), row("Runtz", 10, 1), row("Zkittlez", 9, 1)],
      [row("blue dream", 10, 5), row("Runtz", 10, 1), row("Gelato", 4, 2)],
    );
    expect(c.map((x) => [x.strain, x.status])).toEqual([
      ["blue dream", "changed"],
      ["Gelato", "new"],
      ["Runtz", "unchanged"],
      ["Zkittlez", "removed"],
    ]);
    expect(c[0].changes).toEqual({
      inventory_delta: -20,
      avg_sold_per_day_delta: 0,
      days_until_stockout_delta: -4,
      priority_score_delta: 0,
      urgency_from: "high",
      urgency_to: "critical",
    });
    expect(c[3].changes.inventory_delta).toBe(-9);
  });

  it("draws danger / warning / info / success insights", () => {
    const c = compareRows(
      [row("A", 100, 10), row("B", 100, 5), row("C", 2, 5), row("D", 50, 1)],
      [row("A", 0, 10), row("B", 25, 5), row("C", 200, 5), row("D", 50, 3), row("E", 2, 1)],
    );
    const ins = insightsFrom(c);
    expect(ins.map((i) => [i.type, i.title])).toEqual([
      ["danger", "Out of stock"],
      ["danger", "Became critical"],
      ["warning", "Running low"],
      ["warning", "Selling faster"],
      ["info", "New strains"],
      ["info", "Total inventory"],
      ["success", "Restocked"],
    ]);
    expect(ins[0].strains).toEqual(["A"]);
    expect(ins[1].strains).toEqual(["E"]);
    expect(ins[2].strains).toEqual(["B"]);
    expect(ins[3].strains).toEqual(["D"]);
    expect(ins[6].strains).toEqual(["C"]);
  });

  it("writes the CSV with the csv library, neutralising formula cells", () => {
    const csv = snapshotCsv(
      { combined: [{ ...row("=HYPERLINK(1)", 3, 1), store_count: 1 }], stores: [{ ...row("Runtz", 5, 0), store: "Downtown, East" }] },
      "all",
    );
    const back = parse(csv, { columns: true }) as Record<string, string>[];
    expect(back).toEqual([
      {
        store: "All stores",
        strain: "'=HYPERLINK(1)",
        total_inventory: "3",
        avg_sold_per_day: "1",
        days_until_stockout: "3",
        urgency: "critical",
        priority_score: "0",
      },
      {
        store: "Downtown, East",
        strain: "Runtz",
        total_inventory: "5",
        avg_sold_per_day: "0",
        days_until_stockout: "",
        urgency: "low",
        priority_score: "0",
      },
    ]);
  });

  it("snapshot keys are local YYYYMMDD_HHMMSS", () => {
    expect(snapshotTimestamp(new Date(2026, 10, 24, 10, 30, 5))).toBe("20261124_103005");
  });
});
