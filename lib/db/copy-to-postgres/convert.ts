/**
 * SQLite storage → PostgreSQL values, by the column's Prisma type. On SQLite Prisma stores
 * DateTime as ISO text (`2026-12-07T18:55:42.766+00:00`; older rows may be epoch milliseconds),
 * Boolean as 0/1 and Json as its text; PostgreSQL has timestamp(3), boolean and json (which keeps
 * that text as it is) for them.
 * A value that does not fit fails the copy with its table, column and key, rather than arriving
 * changed.
 */

export class ConvertError extends Error {}

type Converter = (value: unknown) => unknown;

// Text without a zone is UTC (SQLite's CURRENT_TIMESTAMP default writes `2026-12-07 18:55:42`);
// JavaScript would read it as local time.
const NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

// timestamp(3) WITHOUT time zone holds UTC here (as Prisma writes it): send the UTC wall time with
// no offset, since PostgreSQL silently drops an offset given for that type.
function toUtcTimestamp(value: unknown): string {
  const text = String(value).trim();
  const date =
    typeof value === "number" || typeof value === "bigint"
      ? new Date(Number(value))
      : new Date(NO_ZONE.test(text) ? `${text.replace(" ", "T")}Z` : text);
  if (Number.isNaN(date.getTime())) throw new ConvertError(`not a date: ${JSON.stringify(value)}`);
  return date.toISOString().replace("T", " ").replace("Z", "");
}

function toBoolean(value: unknown): boolean {
  if (value === 1 || value === 1n || value === "1" || value === "true" || value === true) return true;
  if (value === 0 || value === 0n || value === "0" || value === "false" || value === false) return false;
  throw new ConvertError(`not a boolean: ${JSON.stringify(value)}`);
}

function toJsonText(value: unknown): string {
  const text = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : JSON.stringify(value);
  try {
    JSON.parse(text);
  } catch {
    throw new ConvertError(`not JSON: ${text.slice(0, 60)}`);
  }
  return text;
}

function toInteger(value: unknown): number | string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new ConvertError(`not an integer: ${JSON.stringify(value)}`);
}

function toFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new ConvertError(`not a number: ${JSON.stringify(value)}`);
}

// PostgreSQL text cannot hold NUL; better to stop than to truncate.
function toText(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  if (text.includes("\u0000")) throw new ConvertError("text contains a NUL character, which PostgreSQL cannot store");
  return text;
}

const CONVERTERS: Record<string, Converter> = {
  String: toText,
  Int: toInteger,
  BigInt: toInteger,
  Float: toFloat,
  Decimal: (v) => String(v),
  Boolean: toBoolean,
  DateTime: toUtcTimestamp,
  Json: toJsonText,
  Bytes: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))),
};

/** The converter for one column; NULL stays NULL. Throws for a Prisma type it does not know. */
export function converterFor(type: string, where: string): Converter {
  const convert = CONVERTERS[type];
  if (!convert) throw new ConvertError(`${where}: no conversion for Prisma type ${type}`);
  return (value) => (value === null || value === undefined ? null : convert(value));
}
