import { COLUMN_ALIASES, parseSalesCsv } from "@/lib/domain/recommendations/sales-csv";
import { writeSnapshot } from "@/lib/domain/recommendations/snapshots";
import { importErrorFrom } from "@/lib/domain/imports/csv-table";
import type { PreparedImport } from "@/lib/domain/imports/types";

/**
 * Store sales → a new recommendations snapshot, exactly as `POST /api/recommendations/upload`
 * makes one from a single file: same columns (sales-csv.ts), same all-or-nothing checks, and a
 * file without a store column is one store named after the file.
 */

/** Whether normalized header keys name every column a sales file needs. */
export function fitsSales(keys: Set<string>): boolean {
  const has = (field: keyof typeof COLUMN_ALIASES) => COLUMN_ALIASES[field].some((a) => keys.has(a));
  return has("strain") && has("inventory") && (has("avg_daily_sales") || (has("units_sold") && has("period_days")));
}

export function prepareSalesImport(file: string, text: string): PreparedImport {
  const parsed = parseSalesCsv(file, text);
  if (parsed.errors.length) throw importErrorFrom(parsed.errors.map((e) => ({ row: e.line, message: e.message })));
  const rows = parsed.rows;
  return {
    target: "sales",
    rows: rows.length,
    async apply(m) {
      const snapshot = await writeSnapshot(m, rows, [file]);
      return { rows: rows.length, created: 1, updated: 0, skipped: 0, warnings: [], snapshot_timestamp: snapshot.timestamp };
    },
  };
}
