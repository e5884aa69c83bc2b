/**
 * Reading the values the legacy Python app wrote: timestamps without a zone, JSON in text
 * columns, SQLite integers for booleans. Each reader returns `undefined` for "unreadable" so the
 * caller can report the value instead of guessing.
 */

export type LegacyRow = Record<string, unknown>;

const NAIVE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A legacy timestamp as an instant. The old app wrote `datetime.now().isoformat()`: local time,
 * no zone, microseconds. Those are read in this process's time zone (the machine the old service
 * ran on; `TZ=Area/City` overrides); a `Z` or offset is honoured. null for NULL/empty, undefined
 * when it is not a timestamp.
 */
export function legacyTime(value: unknown): Date | null | undefined {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "string") return undefined;
  const m = NAIVE.exec(value.trim());
  if (!m) return undefined;
  const [, day, clock, fraction, zone] = m;
  const ms = fraction ? fraction.slice(0, 4).padEnd(4, "0") : "";
  const text = `${day}T${clock ? (clock.length === 5 ? `${clock}:00` : clock) : "00:00:00"}${ms}${zone ?? ""}`;
  const d = new Date(text); // no zone → local time (ECMAScript date-time form)
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** JSON text → value; null for NULL/empty; undefined when the text is not JSON. */
export function legacyJson(value: unknown): unknown {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** A number column (SQLite may hand back text in a schema without CHECK constraints). */
export function legacyNumber(value: unknown): number | null | undefined {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : Number(String(value));
  return Number.isFinite(n) ? n : undefined;
}

export function legacyBool(value: unknown): boolean {
  if (typeof value === "string") return ["1", "true", "yes"].includes(value.trim().toLowerCase());
  return Boolean(value);
}

export function legacyText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : String(value);
}
