/**
 * Objects used as maps with keys that come from outside (path parameters, query strings, bodies,
 * CSV cells, stored JSON, remote feeds). A plain `{}` answers `obj["constructor"]`,
 * `obj["toString"]` … with Object.prototype's members, and `obj["__proto__"] = v` replaces its
 * prototype instead of storing an entry. So: look outside keys up with `own` (own properties
 * only), build maps keyed by outside data with `dict` (no prototype: every key is an ordinary
 * entry, JSON.stringify and Object.entries see them all), or use a `Map`.
 */

/** A null-prototype object to use as a map; optionally filled from entries. */
export function dict<T>(entries?: Iterable<readonly [string, T]> | Record<string, T> | null): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (!entries) return out;
  const pairs = Symbol.iterator in entries ? (entries as Iterable<readonly [string, T]>) : Object.entries(entries);
  for (const [key, value] of pairs) out[key] = value;
  return out;
}

/** `obj[key]` when `key` is one of obj's own properties, else undefined (never an inherited member). */
export function own<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj !== null && obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** The one key that cannot be stored in a plain object (assigning it replaces the prototype). */
export const PROTO_KEY = "__proto__";

/**
 * Path of the first `"__proto__"` key anywhere in a parsed JSON value (JSON.parse keeps it as an
 * own property), or null when there is none. Iterative, so deep nesting cannot overflow the stack.
 */
export function findProtoKey(value: unknown): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    if (Object.hasOwn(v, PROTO_KEY)) return [...path, PROTO_KEY];
    for (const [k, item] of Object.entries(v))
      if (item !== null && typeof item === "object") stack.push({ value: item, path: [...path, k] });
  }
  return null;
}
