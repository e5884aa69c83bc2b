import { globMatch } from "@/lib/events/glob";
import type { EventEnvelope } from "@/lib/events/catalogue";

/**
 * Subscriber filters (seed 002): a JSON object of dotted path → condition, all of which must hold.
 *
 *   { "payload.strain": "Blue*", "payload.grams": { "$gt": 0 }, "metadata.source": { "$in": ["api", "web"] } }
 *
 * Paths resolve against the envelope (`id`, `type`, `payload.…`, `metadata.…`); a path whose first
 * segment is not an envelope field resolves against the payload (`strain` = `payload.strain`), and
 * `event_data.…` (the seed's name) is an alias of `payload.…`.
 * A condition is a literal (equality; a string with `*` is a glob, compared with the value as text),
 * or an object of operators `$gt $gte $lt $lte $ne $in` (all must hold). `$ne`/`$in` members may be
 * globs too. A missing path fails every condition except `$ne`.
 */

export type FilterCondition = unknown;
export type Filter = Record<string, FilterCondition>;

const OPERATORS = new Set(["$gt", "$gte", "$lt", "$lte", "$ne", "$in"]);
const ENVELOPE_FIELDS = new Set(["id", "type", "payload", "metadata"]);

export function resolvePath(envelope: EventEnvelope, path: string): unknown {
  let segments = path.split(".");
  if (segments[0] === "event_data") segments = ["payload", ...segments.slice(1)];
  else if (!ENVELOPE_FIELDS.has(segments[0])) segments = ["payload", ...segments];
  let value: unknown = envelope;
  for (const segment of segments) {
    // Own properties only: "payload.constructor" or "payload.__proto__" is a missing path, not Object's members.
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function isOperatorObject(cond: unknown): cond is Record<string, unknown> {
  if (cond === null || typeof cond !== "object" || Array.isArray(cond)) return false;
  const keys = Object.keys(cond);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}

function equals(expected: unknown, actual: unknown): boolean {
  if (actual === undefined) return false;
  if (typeof expected === "string" && expected.includes("*")) {
    if (actual === null || typeof actual === "object") return false;
    return globMatch(expected, String(actual));
  }
  if (expected !== null && typeof expected === "object") return JSON.stringify(expected) === JSON.stringify(actual);
  return expected === actual;
}

function compare(actual: unknown, bound: unknown): number | null {
  if (typeof actual === "number" && typeof bound === "number") return actual - bound;
  if (typeof actual === "string" && typeof bound === "string") return actual < bound ? -1 : actual > bound ? 1 : 0;
  return null;
}

function holds(cond: unknown, actual: unknown): boolean {
  if (!isOperatorObject(cond)) return equals(cond, actual);
  for (const [op, arg] of Object.entries(cond)) {
    switch (op) {
      case "$ne":
        if (equals(arg, actual)) return false;
        break;
      case "$in":
        if (!Array.isArray(arg) || !arg.some((a) => equals(a, actual))) return false;
        break;
      case "$gt":
      case "$gte":
      case "$lt":
      case "$lte": {
        const c = compare(actual, arg);
        if (c === null) return false;
        if (op === "$gt" && !(c > 0)) return false;
        if (op === "$gte" && !(c >= 0)) return false;
        if (op === "$lt" && !(c < 0)) return false;
        if (op === "$lte" && !(c <= 0)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/** True when every condition of the filter holds for the envelope; a null/empty filter matches all. */
export function matchesFilter(filter: unknown, envelope: EventEnvelope): boolean {
  if (filter === null || filter === undefined) return true;
  if (typeof filter !== "object" || Array.isArray(filter)) return false;
  for (const [path, cond] of Object.entries(filter as Filter)) {
    if (!holds(cond, resolvePath(envelope, path))) return false;
  }
  return true;
}

/** Problems with a filter (for the admin API): unknown operators, `$in` without an array, … */
export function filterProblems(filter: unknown): string[] {
  if (filter === null || filter === undefined) return [];
  if (typeof filter !== "object" || Array.isArray(filter)) return ["filter must be a JSON object"];
  const problems: string[] = [];
  for (const [path, cond] of Object.entries(filter as Filter)) {
    if (!/^[\w$-]+(\.[\w$-]+)*$/.test(path)) problems.push(`"${path}" is not a dotted path`);
    if (cond !== null && typeof cond === "object" && !Array.isArray(cond)) {
      const keys = Object.keys(cond);
      if (keys.some((k) => k.startsWith("$"))) {
        for (const k of keys) {
          if (!OPERATORS.has(k)) problems.push(`"${path}": unknown operator ${k} (use $gt $gte $lt $lte $ne $in)`);
          else if (k === "$in" && !Array.isArray((cond as Record<string, unknown>)[k])) problems.push(`"${path}": $in needs an array`);
        }
      }
    }
  }
  return problems;
}
