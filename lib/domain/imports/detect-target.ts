import { ImportError, readCsvTable, type CsvTable } from "@/lib/domain/imports/csv-table";
import { fitsSales, prepareSalesImport } from "@/lib/domain/imports/import-sales";
import { fitsPapers, preparePapersImport } from "@/lib/domain/imports/import-papers";
import { fitsFinishedGoods, prepareFinishedGoodsImport } from "@/lib/domain/imports/import-finished-goods";
import { TARGET_LABELS, type ImportTarget, type ImportTargetSetting, type PreparedImport } from "@/lib/domain/imports/types";

/**
 * Which import a CSV is, from its header row alone: the targets' required columns do not overlap
 * (a METRC + grams column, a size + counts column, strain + on-hand + sales columns), so a file
 * fits one. None, or more than one, is refused with what each expects — guessing could write a
 * sales report into the package list.
 */

const FITS: Record<ImportTarget, (keys: Set<string>) => boolean> = {
  sales: fitsSales,
  papers: fitsPapers,
  finished_goods: fitsFinishedGoods,
};

const EXPECTED =
  "store sales (strain, inventory, and avg_daily_sales or units_sold + period_days), " +
  "papers/cones (size with boxes, individual_papers, papers_per_box or threshold) or " +
  "finished goods (metrc, grams, strain)";

export function detectTarget(table: Pick<CsvTable, "headers" | "headerRow">): ImportTarget {
  const keys = new Set(table.headers.map((h) => h.key).filter(Boolean));
  const fits = (Object.keys(FITS) as ImportTarget[]).filter((t) => FITS[t](keys));
  const shown =
    table.headers
      .map((h) => h.name)
      .filter(Boolean)
      .join(", ") || "none";
  if (fits.length === 1) return fits[0];
  if (fits.length === 0) {
    throw new ImportError(`Cannot tell what this file is from its headers (${shown}): expected ${EXPECTED}`, table.headerRow);
  }
  throw new ImportError(
    `The headers (${shown}) fit several imports (${fits.map((t) => TARGET_LABELS[t]).join(", ")}): set the import subscriber's target`,
    table.headerRow,
  );
}

/** Parses and checks a file for its target (detected for `auto`); throws ImportError when it cannot be imported. */
export function prepareImport(setting: ImportTargetSetting, file: string, text: string): PreparedImport {
  let target: ImportTarget | null = setting === "auto" ? null : setting;
  try {
    const table = readCsvTable(text);
    target ??= detectTarget(table);
    if (target === "sales") return prepareSalesImport(file, text);
    if (target === "papers") return preparePapersImport(table);
    return prepareFinishedGoodsImport(table, file);
  } catch (err) {
    // The failure event says which import refused the file, when that is known.
    if (err instanceof ImportError) err.target = target;
    throw err;
  }
}
