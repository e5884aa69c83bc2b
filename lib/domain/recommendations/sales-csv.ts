import { parse } from "csv/sync";

/**
 * Store sell-through CSVs (README "Store sales CSV"). One header row, then one row per store ×
 * product. Headers are matched case-insensitively after turning spaces and punctuation into `_`
 * ("Qty On Hand" → `qty_on_hand`), through these aliases; other columns are ignored.
 *
 * | field           | required                         | accepted headers |
 * |-----------------|----------------------------------|------------------|
 * | store           | no (default: the file name)      | store, store_name, location, dispensary, shop, retailer |
 * | strain          | yes                              | strain, strain_name, product, product_name, item, item_name, name |
 * | inventory       | yes (units on hand, ≥ 0)         | inventory, on_hand, qty_on_hand, quantity_on_hand, units_on_hand, stock, in_stock, current_inventory, available |
 * | avg_daily_sales | this, or units_sold + period_days | avg_daily_sales, avg_sold_per_day, average_daily_sales, daily_sales, sales_per_day, avg_per_day, units_per_day, velocity |
 * | units_sold      | with period_days                 | units_sold, sold, qty_sold, quantity_sold, total_sold, sales_units |
 * | period_days     | with units_sold (> 0)            | period_days, days, sales_period_days, period, days_in_period, sales_days |
 *
 * Numbers may carry thousands separators ("1,250"). Blank lines are skipped. The delimiter is a
 * comma, or a semicolon / tab when the header line has those and no comma. Every problem is
 * reported with its file and line; the caller saves nothing when there is any (all or nothing).
 */

export const COLUMN_ALIASES = {
  store: ["store", "store_name", "location", "dispensary", "shop", "retailer"],
  strain: ["strain", "strain_name", "product", "product_name", "item", "item_name", "name"],
  inventory: [
    "inventory",
    "on_hand",
    "qty_on_hand",
    "quantity_on_hand",
    "units_on_hand",
    "stock",
    "in_stock",
    "current_inventory",
    "available",
  ],
  avg_daily_sales: [
    "avg_daily_sales",
    "avg_sold_per_day",
    "average_daily_sales",
    "daily_sales",
    "sales_per_day",
    "avg_per_day",
    "units_per_day",
    "velocity",
  ],
  units_sold: ["units_sold", "sold", "qty_sold", "quantity_sold", "total_sold", "sales_units"],
  period_days: ["period_days", "days", "sales_period_days", "period", "days_in_period", "sales_days"],
} as const;
export type SalesField = keyof typeof COLUMN_ALIASES;

const ALIAS_TO_FIELD = new Map<string, SalesField>(
  (Object.entries(COLUMN_ALIASES) as [SalesField, readonly string[]][]).flatMap(([field, aliases]) =>
    aliases.map((a) => [a, field] as const),
  ),
);

export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export interface SalesRow {
  file: string;
  line: number;
  store: string;
  strain: string;
  inventory: number;
  avg_daily_sales: number;
}

export interface CsvRowError {
  file: string;
  line: number;
  column?: string;
  message: string;
}

export interface ParsedSalesFile {
  file: string;
  rows: SalesRow[];
  errors: CsvRowError[];
  /** Headers that matched no field (ignored). */
  ignored_columns: string[];
}

/** The store name used when a file has no store column: its name without the extension. */
export function storeFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.[^.]+$/, "").trim() || base;
}

/** "1,250" / " 3.5 " → number; "" → null; anything else → NaN. */
export function parseNumber(raw: string | undefined): number | null {
  const s = (raw ?? "").trim().replace(/(\d),(?=\d{3}(\D|$))/g, "$1");
  if (s === "") return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return Number.NaN;
  return Number(s);
}

export function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  if (firstLine.includes(",")) return ",";
  if (firstLine.includes(";")) return ";";
  if (firstLine.includes("\t")) return "\t";
  return ",";
}

type Info = { lines: number };

/** A CSV record with the file line it ends on (what a spreadsheet shows and errors name). */
export type CsvRecord = { record: string[]; info: Info };

/**
 * The house CSV rules, shared by the sales upload and the inbox imports: BOM stripped, comma or
 * semicolon/tab delimiter, blank lines skipped, cells trimmed, ragged rows allowed. Throws the
 * csv parser's error (with `lines`) on unreadable input.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  return parse(text, {
    bom: true,
    delimiter: detectDelimiter(text),
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    info: true,
  }) as unknown as CsvRecord[];
}

export function parseSalesCsv(file: string, text: string): ParsedSalesFile {
  const out: ParsedSalesFile = { file, rows: [], errors: [], ignored_columns: [] };
  const fail = (line: number, message: string, column?: string) => out.errors.push({ file, line, ...(column ? { column } : {}), message });

  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text);
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    fail(e.lines ?? 1, `Not a readable CSV: ${e.message ?? String(err)}`);
    return out;
  }
  const nonEmpty = records.filter((r) => r.record.some((c) => c !== ""));
  if (nonEmpty.length === 0) {
    fail(1, "The file is empty: expected a header row and at least one data row");
    return out;
  }

  // Header
  const [header, ...data] = nonEmpty;
  const columns = new Map<SalesField, { index: number; name: string }>();
  const duplicates = new Map<SalesField, string[]>();
  header.record.forEach((name, index) => {
    const field = ALIAS_TO_FIELD.get(normalizeHeader(name));
    if (!field) {
      if (name.trim()) out.ignored_columns.push(name.trim());
      return;
    }
    if (columns.has(field)) duplicates.set(field, [...(duplicates.get(field) ?? [columns.get(field)!.name]), name]);
    else columns.set(field, { index, name });
  });
  const headerLine = header.info.lines;
  for (const [field, names] of duplicates) fail(headerLine, `Several columns mean ${field}: ${names.join(", ")}`);
  if (!columns.has("strain")) fail(headerLine, `Missing a strain column (one of: ${COLUMN_ALIASES.strain.join(", ")})`);
  if (!columns.has("inventory")) fail(headerLine, `Missing an inventory column (one of: ${COLUMN_ALIASES.inventory.join(", ")})`);
  const hasAvg = columns.has("avg_daily_sales");
  const hasSold = columns.has("units_sold") && columns.has("period_days");
  if (!hasAvg && !hasSold) {
    fail(headerLine, "Missing sales columns: avg_daily_sales, or units_sold together with period_days");
  }
  if (out.errors.length) return out;
  if (data.length === 0) {
    fail(headerLine, "No data rows after the header");
    return out;
  }

  const defaultStore = storeFromFileName(file);
  const cell = (r: string[], f: SalesField) => {
    const c = columns.get(f);
    return c ? (r[c.index] ?? "").trim() : undefined;
  };
  for (const { record, info } of data) {
    const line = info.lines;
    const before = out.errors.length;
    if (record.length > header.record.length && record.slice(header.record.length).some((c) => c !== "")) {
      fail(line, `Has ${record.length} fields but the header has ${header.record.length}`);
      continue;
    }
    const store = columns.has("store") ? cell(record, "store")! : defaultStore;
    if (!store) fail(line, "Missing store", columns.get("store")?.name);
    const strain = cell(record, "strain")!;
    if (!strain) fail(line, "Missing strain", columns.get("strain")!.name);

    const inventory = parseNumber(cell(record, "inventory"));
    const invCol = columns.get("inventory")!.name;
    if (inventory === null) fail(line, "Missing inventory", invCol);
    else if (!Number.isFinite(inventory)) fail(line, `Inventory "${cell(record, "inventory")}" is not a number`, invCol);
    else if (inventory < 0) fail(line, "Inventory cannot be negative", invCol);

    let avg: number | null = null;
    const avgRaw = hasAvg ? parseNumber(cell(record, "avg_daily_sales")) : null;
    if (avgRaw !== null) {
      const col = columns.get("avg_daily_sales")!.name;
      if (!Number.isFinite(avgRaw)) fail(line, `Average daily sales "${cell(record, "avg_daily_sales")}" is not a number`, col);
      else if (avgRaw < 0) fail(line, "Average daily sales cannot be negative", col);
      else avg = avgRaw;
    } else if (hasSold) {
      const sold = parseNumber(cell(record, "units_sold"));
      const days = parseNumber(cell(record, "period_days"));
      const soldCol = columns.get("units_sold")!.name;
      const daysCol = columns.get("period_days")!.name;
      if (sold === null) fail(line, "Missing units sold", soldCol);
      else if (!Number.isFinite(sold)) fail(line, `Units sold "${cell(record, "units_sold")}" is not a number`, soldCol);
      else if (sold < 0) fail(line, "Units sold cannot be negative", soldCol);
      if (days === null) fail(line, "Missing period days", daysCol);
      else if (!Number.isFinite(days) || days <= 0) fail(line, "Period days must be a number above 0", daysCol);
      if (out.errors.length === before && sold !== null && days !== null) avg = sold / days;
    } else {
      fail(line, "Missing average daily sales", columns.get("avg_daily_sales")!.name);
    }
    if (out.errors.length > before) continue;
    out.rows.push({ file, line, store, strain, inventory: inventory!, avg_daily_sales: avg! });
  }
  return out;
}
