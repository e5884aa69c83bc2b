import { describe, expect, it } from "vitest";
import { pullRows, recallCsv } from "@/components/genealogy/recall-csv";
import type { RecallBatch, RecallPackage } from "@/lib/domain/genealogy/genealogy-response";

const batch: RecallBatch = { batch_id: "b-1", strain: "Runtz", stage: 7, archived: false, input_grams: 1000, source_grams: 400 };
const pkg = (over: Partial<RecallPackage>): RecallPackage => ({
  metrc_number: "1A4060300000000000000001",
  strain: "Runtz",
  batch_id: "b-1",
  initial_grams: 150,
  current_grams: 110,
  status: "active",
  grams_ordered: 20,
  grams_packed: 0,
  holds: [],
  held_units: 0,
  ...over,
});

describe("recall CSV (the /genealogy Download CSV)", () => {
  it("one row per package with its batch's strain, current grams, status, orders and holds", () => {
    const rows = pullRows(
      [
        pkg({}),
        pkg({
          metrc_number: "1A4060300000000000000002",
          holds: [
            { id: "h1", sku_name: "6-Pack Magnetic Box", quantity: 2 },
            { id: "h2", sku_name: "1.0g Singles", quantity: 5 },
          ],
          held_units: 7,
        }),
      ],
      [batch],
    );
    expect(recallCsv(rows).split("\r\n")).toEqual([
      "METRC tag,Strain,Batch,Batch strain,Current grams,Initial grams,Status,Grams ordered,Grams packed,Units held,Holds",
      "1A4060300000000000000001,Runtz,b-1,Runtz,110,150,active,20,0,0,",
      "1A4060300000000000000002,Runtz,b-1,Runtz,110,150,active,20,0,7,6-Pack Magnetic Box × 2; 1.0g Singles × 5",
      "",
    ]);
  });

  it("quotes commas and quotes, and defuses text a spreadsheet would run as a formula", () => {
    const rows = pullRows([pkg({ strain: 'Cake, "Wedding"', batch_id: null }), pkg({ strain: "=HYPERLINK(1)" })], [batch]);
    const lines = recallCsv(rows).split("\r\n");
    expect(lines[1]).toBe('1A4060300000000000000001,"Cake, ""Wedding""",,,110,150,active,20,0,0,');
    expect(lines[2]).toContain(",'=HYPERLINK(1),");
  });
});
