import { z } from "zod";
import { badRequest } from "@/lib/http/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { resolveSku, type SkuDefinition } from "@/lib/domain/finished-goods/sku-engine";

/**
 * Zod pieces and helpers shared by the Apex / SKU operations (apex-*, set-skus, custom-skus).
 * Bodies are `z.object` (unknown fields ignored, not refused): ApexAPI is an existing client that
 * may send more than we read.
 */

/** `[metrc]` path segment; an unknown tag is a 404 `Package not found`. */
export const apexMetrcParams = z.strictObject({ metrc: z.string().trim().min(1).max(100) });

export const optionalReason = z.string().trim().max(1000).nullable().optional();

/** A 400 with the existing system's exact text, the field listed like zod's own details. */
export function requiredError(message: string, fields: string[]) {
  return badRequest(message, { location: "body", fields: Object.fromEntries(fields.map((f) => [f, [message]])) }, "validation_failed");
}

/** 400 `Unknown SKU: <name>` with the SKUs the package knows. */
export function unknownSku(name: string, skus: SkuDefinition[]) {
  return badRequest(`Unknown SKU: ${name}`, { sku: name, known_skus: skus.map((s) => s.key) }, "unknown_sku");
}

/** The SKU a name means in any vocabulary, or a 400 `Unknown SKU`. */
export function requireSku(name: string, skus: SkuDefinition[]): SkuDefinition {
  const sku = resolveSku(name, skus);
  if (!sku) throw unknownSku(name, skus);
  return sku;
}

/** Booleans as the legacy clients send them: true/false or 1/0. */
export const looseBool = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => v === true || v === 1);

/** A value for a nullable Json column: null clears it (SQL NULL). */
export function jsonOrNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}
