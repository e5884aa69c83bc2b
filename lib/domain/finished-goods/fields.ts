import { z } from "zod";
import { badRequest } from "@/lib/http/errors";
import { roundGrams, unitSizeGrams, type UnitSize } from "@/lib/domain/finished-goods/constants";

/**
 * Zod pieces shared by the finished-goods operations, and the contract's exact 400 texts
 * ("grams is required", "Invalid unit_size"), which the generic validation message cannot give.
 */

/** `[metrc]` path segment. Any text: an unknown or malformed tag is a 404 `Package not found`. */
export const metrcParams = z.strictObject({ metrc: z.string().trim().min(1).max(100) });

/** Grams moved by one operation: > 0, kept to the milligram. */
export const positiveGrams = z.number().min(0.001, "Must be greater than 0").max(10_000_000).transform(roundGrams);
/** A running total that replaces the stored one (set-ordered, set-packed, sync): ≥ 0. */
export const totalGrams = z.number().min(0).max(10_000_000).transform(roundGrams);
export const reason = z.string().trim().max(1000).nullable().optional();
export const notes = z.string().trim().max(5000).nullable();
export const strainName = z
  .string()
  .trim()
  .min(1, "strain is required")
  .max(200)
  .transform((s) => s.replace(/\s+/g, " "));
export const batchId = z.string().trim().min(1).max(100);
/** Admin's reason to move stock whose batch has not passed testing (lab-state holds). */
export const overrideReason = z.string().trim().min(1).max(1000).optional();

/** 400 `"<field> is required"` (the existing system's text), field listed in details like zod's. */
export function missingField(field: string, location: "body" | "query" = "body") {
  return badRequest(`${field} is required`, { location, fields: { [field]: [`${field} is required`] } }, "validation_failed");
}

/** The value, or a 400 `"<field> is required"` when absent. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw missingField(field);
  return value;
}

/** Deduct/add body: `grams`, or `units` + `unit_size` (grams = units × the size's grams). */
export const gramsOrUnitsFields = {
  grams: positiveGrams.optional(),
  units: z.number().int().min(1).max(10_000_000).optional(),
  unit_size: z.string().trim().max(20).optional(),
  reason,
};

export interface GramsOrUnits {
  grams?: number;
  units?: number;
  unit_size?: string;
}

/** Resolves a deduct/add body to grams; 400 "Invalid unit_size" for a size not in the contract's list. */
export function resolveGrams(input: GramsOrUnits): { grams: number; units: number | null; unit_size: UnitSize | null } {
  if (input.grams !== undefined && input.units !== undefined) {
    throw badRequest(
      "Send grams or units with unit_size, not both",
      { location: "body", fields: { grams: ["Send grams or units, not both"] } },
      "validation_failed",
    );
  }
  if (input.grams !== undefined) return { grams: input.grams, units: null, unit_size: null };
  if (input.units === undefined) {
    throw badRequest(
      "grams or units with unit_size is required",
      { location: "body", fields: { grams: ["grams or units with unit_size is required"] } },
      "validation_failed",
    );
  }
  const size = input.unit_size;
  if (size === undefined || !Object.prototype.hasOwnProperty.call(unitSizeGrams, size)) {
    throw badRequest(
      "Invalid unit_size",
      { location: "body", fields: { unit_size: [`Use one of ${Object.keys(unitSizeGrams).join(", ")}`] } },
      "invalid_unit_size",
    );
  }
  const unitSize = size as UnitSize;
  return { grams: roundGrams(input.units * unitSizeGrams[unitSize]), units: input.units, unit_size: unitSize };
}
