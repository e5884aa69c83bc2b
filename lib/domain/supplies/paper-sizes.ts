import { sizes, type Size } from "@/lib/domain/batches/constants";
import { badRequest } from "@/lib/http/errors";

/**
 * Papers/cones are `Supply` rows of kind "paper", one per size. Rows missing from the database
 * read as these contract defaults (1000/800/800 papers per box, alert below 5 boxes) with an empty
 * shelf, and are created with them by the first write that needs them.
 */
export const PAPER_KIND = "paper";

export const PAPER_DEFAULTS: Record<Size, { name: string; unit: string; units_per_box: number; low_threshold_boxes: number }> = {
  "0_5": { name: "0.5 g cones", unit: "papers", units_per_box: 1000, low_threshold_boxes: 5 },
  "0_7": { name: "0.7 g cones", unit: "papers", units_per_box: 800, low_threshold_boxes: 5 },
  "1_0": { name: "1.0 g cones", unit: "papers", units_per_box: 800, low_threshold_boxes: 5 },
};

export const paperSizes = sizes;
export type PaperSize = Size;

/** A Map, not an object: the input is a path parameter, a body field or a CSV cell ("constructor" is no size). */
const ALIASES = new Map<string, Size>(
  Object.entries({
    "0_5": "0_5",
    "0.5": "0_5",
    "0.5g": "0_5",
    ".5": "0_5",
    ".5g": "0_5",
    "05": "0_5",
    "0_7": "0_7",
    "0.7": "0_7",
    "0.7g": "0_7",
    ".7": "0_7",
    ".7g": "0_7",
    "07": "0_7",
    "1_0": "1_0",
    "1.0": "1_0",
    "1.0g": "1_0",
    "1": "1_0",
    "1g": "1_0",
    "10": "1_0",
  } satisfies Record<string, Size>),
);

/** "0_5", "0.5", "0.5g", "0.5 g" … → the size key; anything else → null. */
export function normalizePaperSize(input: unknown): Size | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  const s = String(input).trim().toLowerCase().replace(/\s+/g, "");
  return ALIASES.get(s) ?? null;
}

/** The contract's 400 for a size that is not one of 0_5 / 0_7 / 1_0. */
export function invalidSize() {
  return badRequest("Invalid size", { accepted: [...sizes] }, "invalid_size");
}

export function parsePaperSize(input: unknown): Size {
  const size = normalizePaperSize(input);
  if (!size) throw invalidSize();
  return size;
}

/** "0_5" → "0.5g", as people read it. */
export function sizeLabel(size: string): string {
  return size ? `${size.replace("_", ".")}g` : "";
}
