import type { RecallBatch, RecallPackage } from "@/lib/domain/genealogy/genealogy-response";

/** The packages to pull, one row each, as the table shows them and the CSV exports them. */
export interface PullRow {
  metrc_number: string;
  strain: string;
  batch_id: string | null;
  batch_strain: string | null;
  current_grams: number;
  initial_grams: number;
  status: string;
  grams_ordered: number;
  grams_packed: number;
  held_units: number;
  /** "6-Pack Magnetic Box × 2; 1.0g Singles × 5". */
  holds: string;
}

export function pullRows(packages: readonly RecallPackage[], batches: readonly RecallBatch[]): PullRow[] {
  const strainOf = new Map(batches.map((b) => [b.batch_id, b.strain]));
  return packages.map((p) => ({
    metrc_number: p.metrc_number,
    strain: p.strain,
    batch_id: p.batch_id,
    batch_strain: p.batch_id ? (strainOf.get(p.batch_id) ?? null) : null,
    current_grams: p.current_grams,
    initial_grams: p.initial_grams,
    status: p.status,
    grams_ordered: p.grams_ordered,
    grams_packed: p.grams_packed,
    held_units: p.held_units,
    holds: p.holds.map((h) => `${h.sku_name} × ${h.quantity}`).join("; "),
  }));
}

const HEADER = [
  "METRC tag",
  "Strain",
  "Batch",
  "Batch strain",
  "Current grams",
  "Initial grams",
  "Status",
  "Grams ordered",
  "Grams packed",
  "Units held",
  "Holds",
];

/** A cell as RFC 4180 wants it; text a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
function cell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The pull list as CSV (header row, CRLF line ends, as spreadsheets expect). */
export function recallCsv(rows: readonly PullRow[]): string {
  const lines = [HEADER.map(cell).join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.metrc_number,
        r.strain,
        r.batch_id,
        r.batch_strain,
        r.current_grams,
        r.initial_grams,
        r.status,
        r.grams_ordered,
        r.grams_packed,
        r.held_units,
        r.holds,
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Hands the CSV to the browser as a download named `recall-<tag>.csv`. */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a moment later: some browsers start reading the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
