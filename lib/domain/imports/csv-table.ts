import { normalizeHeader, parseCsvRecords, type CsvRecord } from "@/lib/domain/recommendations/sales-csv";
import type { ImportTarget } from "@/lib/domain/imports/types";

/**
 * CSV reading shared by the inbox imports, with the same rules as the store-sales upload
 * (sales-csv.ts): BOM stripped, comma or semicolon/tab delimiter, blank lines skipped, cells
 * trimmed, headers matched case-insensitively with spaces and punctuation as `_`. Rows carry the
 * file's line number (the header is row 1), which is what a spreadsheet shows and errors name.
 */

/** A problem that makes the whole file fail: retrying it cannot help. */
export class ImportError extends Error {
  /** The import that refused the file (null: its kind could not be told). */
  target: ImportTarget | null = null;
  constructor(
    message: string,
    readonly row: number | null = null,
    /** Every problem found (each names its row); the message describes the first. */
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

/** One error for many problems: the first is the message, the count says how many more. */
export function importErrorFrom(problems: { row: number | null; message: string }[]): ImportError {
  const texts = problems.map((p) => (p.row ? `Row ${p.row}: ${p.message}` : p.message));
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? "" : "s"})` : "";
  return new ImportError(`${texts[0]}${more}`, problems[0].row, texts);
}

export interface CsvTable {
  /** Header cells as written, and their normalized keys. */
  headers: { name: string; key: string }[];
  headerRow: number;
  rows: { row: number; cells: string[] }[];
}

export function readCsvTable(text: string): CsvTable {
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text);
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new ImportError(`Not a readable CSV: ${e.message ?? String(err)}`, e.lines ?? null);
  }
  const nonEmpty = records.filter((r) => r.record.some((c) => c !== ""));
  if (nonEmpty.length === 0) throw new ImportError("The file is empty: expected a header row and at least one data row", 1);
  const [header, ...data] = nonEmpty;
  return {
    headers: header.record.map((name) => ({ name: name.trim(), key: normalizeHeader(name) })),
    headerRow: header.info.lines,
    rows: data.map((r) => ({ row: r.info.lines, cells: r.record })),
  };
}

/**
 * Maps header keys to fields through alias lists. Returns each found field's column index and
 * header name; a field named by two columns is a problem (which one would win is a guess).
 */
export function mapColumns<F extends string>(
  headers: CsvTable["headers"],
  aliases: Record<F, readonly string[]>,
): { columns: Map<F, { index: number; name: string }>; duplicates: string[] } {
  const byAlias = new Map<string, F>();
  for (const [field, list] of Object.entries(aliases) as [F, readonly string[]][]) for (const a of list) byAlias.set(a, field);
  const columns = new Map<F, { index: number; name: string }>();
  const duplicates: string[] = [];
  headers.forEach(({ key, name }, index) => {
    const field = byAlias.get(key);
    if (!field) return;
    const seen = columns.get(field);
    if (seen) duplicates.push(`Several columns mean ${field}: ${seen.name}, ${name}`);
    else columns.set(field, { index, name });
  });
  return { columns, duplicates };
}

/** A cell of a mapped field: trimmed text, "" when empty, undefined when the file has no such column. */
export function cellOf<F extends string>(columns: Map<F, { index: number }>, cells: string[], field: F): string | undefined {
  const c = columns.get(field);
  return c ? (cells[c.index] ?? "").trim() : undefined;
}

/** A data row with more filled cells than the header has columns (a stray delimiter). */
export function overflowProblem(table: CsvTable, cells: string[]): string | null {
  const width = table.headers.length;
  if (cells.length > width && cells.slice(width).some((c) => c !== "")) return `Has ${cells.length} fields but the header has ${width}`;
  return null;
}

export interface RowReader<F extends string> {
  /** The file line of the row (the header is row 1). */
  row: number;
  /** A mapped field's trimmed cell: "" when empty, undefined when the file has no such column. */
  cell: (field: F) => string | undefined;
  /** Records a problem with this row; a row with any problem is left out. */
  fail: (message: string) => void;
}

/**
 * What every inbox import does with its table: header problems (columns meaning the same field,
 * plus `headerProblems`) refuse the file at once; then `readRow` checks and parses each row, and
 * any problem in any row refuses the whole file, listing them all (all-or-nothing).
 */
export function readImportRows<F extends string, R>(
  table: CsvTable,
  aliases: Record<F, readonly string[]>,
  headerProblems: (has: (field: F) => boolean) => string[],
  readRow: (reader: RowReader<F>) => R,
): R[] {
  const { columns, duplicates } = mapColumns(table.headers, aliases);
  const problems: { row: number | null; message: string }[] = [...duplicates, ...headerProblems((f) => columns.has(f))].map((message) => ({
    row: table.headerRow,
    message,
  }));
  if (problems.length) throw importErrorFrom(problems);
  if (table.rows.length === 0) throw importErrorFrom([{ row: table.headerRow, message: "No data rows after the header" }]);
  const rows: R[] = [];
  for (const { row, cells } of table.rows) {
    const overflow = overflowProblem(table, cells);
    if (overflow) {
      problems.push({ row, message: overflow });
      continue;
    }
    const before = problems.length;
    const parsed = readRow({ row, cell: (field) => cellOf(columns, cells, field), fail: (message) => problems.push({ row, message }) });
    if (problems.length === before) rows.push(parsed);
  }
  if (problems.length) throw importErrorFrom(problems);
  return rows;
}
