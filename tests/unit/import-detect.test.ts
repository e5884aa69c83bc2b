import { describe, expect, it } from "vitest";
import { detectTarget, prepareImport } from "@/lib/domain/imports/detect-target";
import { ImportError, readCsvTable } from "@/lib/domain/imports/csv-table";
import { isIgnoredInboxName } from "@/lib/events/inbox/inbox-dir";

/** What an inbox CSV is, told from its header row; and the all-or-nothing checks naming rows. */

const detect = (csv: string) => detectTarget(readCsvTable(csv));
function refusal(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  throw new Error("expected an ImportError");
}

describe("header detection", () => {
  it.each([
    ["store,strain,inventory,avg_daily_sales\nEast,Runtz,4,1\n", "sales"],
    ["Store Name,Product,Qty On Hand,Units Sold,Period Days\nDowntown,Runtz,12,35,7\n", "sales"],
    ["\uFEFFStrain;On_Hand;Avg Daily Sales\nRuntz;8;1\n", "sales"],
    ["Size,Boxes,Loose Papers\n0.5g,3,120\n", "papers"],
    ["paper_size\tthreshold\n0_7\t4\n", "papers"],
    ["METRC,Strain,Grams\n1A4060300000000000000001,Runtz,250\n", "finished_goods"],
    ["Package Tag,Item,Quantity,UoM,Batch\n1A4060300000000000000001,Runtz,250,g,\n", "finished_goods"],
  ])("%j → %s", (csv, target) => {
    expect(detect(csv)).toBe(target);
  });

  it("refuses headers that fit nothing, listing them and what each import expects", () => {
    const err = refusal(() => detect("date,customer,total\n2026-01-01,Acme,12\n"));
    expect(err.row).toBe(1);
    expect(err.message).toMatch(/Cannot tell what this file is from its headers \(date, customer, total\)/);
    expect(err.message).toMatch(/finished goods \(metrc, grams, strain\)/);
  });

  it("refuses headers that fit two imports rather than guess", () => {
    const err = refusal(() => detect("metrc,grams,size,boxes\n1A4060300000000000000001,5,0.5,1\n"));
    expect(err.message).toMatch(/fit several imports \(papers\/cones inventory, finished goods\): set the import subscriber's target/);
  });
});

describe("checks before anything is applied", () => {
  it("names the row of a bad number (the header is row 1) and counts the other problems", () => {
    const rows = ["metrc,strain,grams"];
    for (let i = 1; i <= 5; i++) rows.push(`1A40603000000000000000${String(i).padStart(2, "0")},Runtz,${i * 10}`);
    rows.push("1A4060300000000000000006,Runtz,12.5x", "1A4060300000000000000007,Runtz,-3");
    const err = refusal(() => prepareImport("auto", "fg.csv", rows.join("\n")));
    expect(err.row).toBe(7);
    expect(err.target).toBe("finished_goods");
    expect(err.message).toBe('Row 7: Grams "12.5x" is not a number (and 1 more problem)');
    expect(err.problems).toEqual(['Row 7: Grams "12.5x" is not a number', "Row 8: Grams cannot be negative"]);
  });

  it("checks METRC tags, repeated tags and units", () => {
    const err = refusal(() =>
      prepareImport(
        "finished_goods",
        "fg.csv",
        "tag,grams,uom\n1a4060300000000000000001,5,g\nnot-a-tag,5,g\n1A4060300000000000000001,7,g\n1A4060300000000000000002,1,lb\n",
      ),
    );
    expect(err.problems).toEqual([
      'Row 3: METRC number "not-a-tag" is not 24 letters or digits',
      "Row 4: 1A4060300000000000000001 is already on row 2",
      'Row 5: Unit "lb" is not grams: give the weight in grams (g)',
    ]);
  });

  it("checks paper sizes, whole numbers and repeated sizes", () => {
    const err = refusal(() => prepareImport("auto", "papers.csv", "size,boxes,papers_per_box\n0.6g,1,\n0.5,1.5,\n0_7,1,0\n0.7g,2,\n"));
    expect(err.target).toBe("papers");
    expect(err.problems).toEqual([
      'Row 2: Size "0.6g" is not one of 0.5g, 0.7g, 1.0g',
      'Row 3: Boxes "1.5" is not a whole number',
      "Row 4: Papers per box must be between 1 and 1,000,000",
      "Row 5: 0.7g is already on row 4",
    ]);
  });

  it("uses the store-sales rules of the upload for sales files", () => {
    const err = refusal(() => prepareImport("auto", "east.csv", "store,strain,inventory,avg_daily_sales\nEast,Blue Dream,ten,2\n"));
    expect(err.target).toBe("sales");
    expect(err.message).toBe('Row 2: Inventory "ten" is not a number');
  });

  it("with a fixed target, says which columns that import is missing", () => {
    const err = refusal(() => prepareImport("papers", "east.csv", "store,strain,inventory,avg_daily_sales\nEast,Runtz,4,1\n"));
    expect(err.target).toBe("papers");
    expect(err.message).toMatch(/^Row 1: Missing a size column/);
  });

  it("refuses an empty file and a header without rows", () => {
    expect(refusal(() => prepareImport("auto", "e.csv", "\n\n")).message).toMatch(/The file is empty/);
    expect(refusal(() => prepareImport("auto", "e.csv", "size,boxes\n")).message).toBe("Row 1: No data rows after the header");
  });
});

describe("inbox names", () => {
  it.each([".hidden.csv", "~$sales.csv", "sales.csv.tmp", "sales.csv.part", "sales.csv.crdownload", "sales.csv~", "x.PART"])(
    "ignores %s",
    (name) => {
      expect(isIgnoredInboxName(name)).toBe(true);
    },
  );
  it.each(["sales.csv", "Papers count 2026-03-01.csv", "fg.txt"])("takes %s", (name) => {
    expect(isIgnoredInboxName(name)).toBe(false);
  });
});
