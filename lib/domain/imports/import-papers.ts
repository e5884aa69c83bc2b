import type { Supply } from "@/lib/generated/prisma/client";
import { parseNumber } from "@/lib/domain/recommendations/sales-csv";
import { applySupplyPatch, ensurePaperSupply, type SupplyPatch } from "@/lib/domain/supplies/supply-stock";
import { normalizePaperSize, PAPER_KIND, sizeLabel, type PaperSize } from "@/lib/domain/supplies/paper-sizes";
import { readImportRows, type CsvTable } from "@/lib/domain/imports/csv-table";
import type { PreparedImport } from "@/lib/domain/imports/types";

/**
 * Papers/cones counts, one row per size — the fields of `POST /api/inventory/update` and
 * `/api/inventory/settings`:
 *
 * | field             | accepted headers |
 * |-------------------|------------------|
 * | size (required)   | size, paper_size, cone_size, size_g, cone — values 0.5 / 0.5g / 0_5 … |
 * | box_count         | boxes, box_count, full_boxes, boxes_on_hand |
 * | individual_papers | individual_papers, loose_papers, loose, individual, loose_cones, individual_cones |
 * | papers_per_box    | papers_per_box, cones_per_box, per_box, box_size |
 * | threshold (boxes) | threshold, threshold_boxes, low_threshold, low_threshold_boxes, alert_threshold, alert_threshold_boxes, low_stock_boxes |
 *
 * At least one column besides size. An empty cell keeps the stored value (like a field left out
 * of the API call); a size missing from the file is untouched. Each change is the same audited
 * patch as the API's (`supply.updated`, `supply.low_stock` when it goes low).
 */

export const PAPER_COLUMNS = {
  size: ["size", "paper_size", "cone_size", "size_g", "cone"],
  boxes: ["boxes", "box_count", "full_boxes", "boxes_on_hand"],
  individual_units: ["individual_papers", "loose_papers", "loose", "individual", "loose_cones", "individual_cones"],
  units_per_box: ["papers_per_box", "cones_per_box", "per_box", "box_size"],
  low_threshold_boxes: [
    "threshold",
    "threshold_boxes",
    "low_threshold",
    "low_threshold_boxes",
    "alert_threshold",
    "alert_threshold_boxes",
    "low_stock_boxes",
  ],
} as const;
type PaperField = keyof typeof PAPER_COLUMNS;
const VALUE_FIELDS = ["boxes", "individual_units", "units_per_box", "low_threshold_boxes"] as const;

/** The API's limits for each value (paper-operations.ts). */
const LIMITS: Record<(typeof VALUE_FIELDS)[number], { label: string; min: number; max: number }> = {
  boxes: { label: "Boxes", min: 0, max: 1_000_000 },
  individual_units: { label: "Loose papers", min: 0, max: 10_000_000 },
  units_per_box: { label: "Papers per box", min: 1, max: 1_000_000 },
  low_threshold_boxes: { label: "Threshold", min: 0, max: 10_000 },
};

export function fitsPapers(keys: Set<string>): boolean {
  const has = (field: PaperField) => PAPER_COLUMNS[field].some((a) => keys.has(a));
  return has("size") && VALUE_FIELDS.some(has);
}

interface PaperRow {
  row: number;
  size: PaperSize;
  patch: SupplyPatch;
}

export function preparePapersImport(table: CsvTable): PreparedImport {
  const seen = new Map<PaperSize, number>();
  const headerProblems = (has: (f: keyof typeof PAPER_COLUMNS) => boolean) => [
    ...(has("size") ? [] : [`Missing a size column (one of: ${PAPER_COLUMNS.size.join(", ")})`]),
    ...(VALUE_FIELDS.some(has) ? [] : ["Missing the counts: a boxes, individual_papers, papers_per_box or threshold column"]),
  ];
  const rows = readImportRows(table, PAPER_COLUMNS, headerProblems, ({ row, cell, fail }): PaperRow => {
    const rawSize = cell("size")!;
    const size = normalizePaperSize(rawSize);
    if (!rawSize) fail("Missing size");
    else if (!size) fail(`Size "${rawSize}" is not one of 0.5g, 0.7g, 1.0g`);
    else if (seen.has(size)) fail(`${sizeLabel(size)} is already on row ${seen.get(size)}`);
    else seen.set(size, row);
    const patch: SupplyPatch = {};
    for (const field of VALUE_FIELDS) {
      const raw = cell(field);
      const value = parseNumber(raw);
      if (value === null) continue;
      const { label, min, max } = LIMITS[field];
      if (!Number.isInteger(value)) fail(`${label} "${raw}" is not a whole number`);
      else if (value < min || value > max) fail(`${label} must be between ${min} and ${max.toLocaleString("en-US")}`);
      else patch[field] = value;
    }
    return { row, size: size!, patch };
  });

  return {
    target: "papers",
    rows: rows.length,
    async apply(m) {
      const summary = { rows: rows.length, created: 0, updated: 0, skipped: 0, warnings: [] as string[] };
      for (const r of rows) {
        const existing = await m.tx.supply.findUnique({ where: { kind_size: { kind: PAPER_KIND, size: r.size } } });
        const current: Supply = existing ?? (await ensurePaperSupply(m, r.size));
        const changes = Object.fromEntries(
          Object.entries(r.patch).filter(([field, value]) => current[field as keyof Supply] !== value),
        ) as SupplyPatch;
        if (Object.keys(changes).length > 0) await applySupplyPatch(m, current, changes);
        if (!existing) summary.created++;
        else if (Object.keys(changes).length > 0) summary.updated++;
        else summary.skipped++;
      }
      return summary;
    },
  };
}
