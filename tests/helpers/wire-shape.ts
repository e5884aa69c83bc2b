import { expect } from "vitest";
import { z } from "zod";

/**
 * Checks a real response against a response schema as if every object in the schema were strict:
 * the value must parse (a missing, renamed or mistyped field fails) and no object may carry a key
 * its schema does not list (a field the server added but the schema lacks fails too). The
 * schemas themselves stay `z.object` so clients tolerate additions; this is the test-side check.
 */

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional", "success"]);

/** Paths of keys present in `value` that `schema` does not list (for the branch of a union that fits). */
export function unknownKeys(schema: z.ZodType, value: unknown, path = "$"): string[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return value === null || value === undefined ? [] : unknownKeys(def.innerType!, value, path);
  if (def.type === "pipe") return unknownKeys(def.in!, value, path);
  if (def.type === "lazy") return unknownKeys(def.getter!(), value, path);
  if (value === null || typeof value !== "object") return [];
  switch (def.type) {
    case "object": {
      const shape = def.shape!;
      const out: string[] = [];
      for (const [key, v] of Object.entries(value)) {
        if (!(key in shape)) out.push(`${path}.${key}`);
        else out.push(...unknownKeys(shape[key], v, `${path}.${key}`));
      }
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => unknownKeys(def.element!, v, `${path}[${i}]`)) : [];
    case "tuple":
      return Array.isArray(value)
        ? value.flatMap((v, i) => {
            const item = def.items![i] ?? def.rest;
            return item ? unknownKeys(item, v, `${path}[${i}]`) : [];
          })
        : [];
    case "record":
      return Object.entries(value).flatMap(([k, v]) => unknownKeys(def.valueType!, v, `${path}.${k}`));
    case "union": {
      const fitting = def.options!.filter((o) => o.safeParse(value).success);
      if (fitting.length === 0) return [];
      const candidates = fitting.map((o) => unknownKeys(o, value, path));
      return candidates.reduce((best, c) => (c.length < best.length ? c : best));
    }
    case "intersection": {
      // Unknown to the intersection = unknown to both sides.
      const right = new Set(unknownKeys(def.right!, value, path));
      return unknownKeys(def.left!, value, path).filter((p) => right.has(p));
    }
    default:
      return [];
  }
}

/** Parses `value` with `schema` and fails on any key the schema does not list. Returns the parsed value. */
export function expectWireShape<S extends z.ZodType>(schema: S, value: unknown, label = "response"): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    expect.fail(`${label} does not match its schema:\n${z.prettifyError(parsed.error)}\n${JSON.stringify(value, null, 1).slice(0, 4000)}`);
  }
  expect(unknownKeys(schema, value), `${label}: fields the server sends that the schema does not list`).toEqual([]);
  return parsed.data;
}

/** The keys an object schema lists (top level). */
export function shapeKeys(schema: z.ZodType): string[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return shapeKeys(def.innerType!);
  if (def.type === "pipe") return shapeKeys(def.in!);
  return def.shape ? Object.keys(def.shape) : [];
}
