import { z } from "zod";

/**
 * Response schemas of the wholesale routes (the wire contract). Imported by browser code: zod
 * only. `z.object` (not strict) so an added field does not break an old client;
 * tests/integration/wire-contract.test.ts parses the real responses and reports unknown keys.
 */

const int = z.number().int();
const isoDateTime = z.iso.datetime();

/** A wholesale hold (`/api/wholesale/holds` and a package's `wholesale_holds`). */
export const wholesaleHoldSchema = z.object({
  id: z.string(),
  metrc_number: z.string(),
  /** The SKU's display name ("6-Pack Magnetic Box"). */
  sku_name: z.string(),
  /** Units held. */
  quantity: int,
  created_date: isoDateTime,
  notes: z.string().nullable(),
  created_by: z.string().nullable(),
});
export type WholesaleHold = z.infer<typeof wholesaleHoldSchema>;

/** Per SKU display name: units the package makes before holds, units still free, units held. */
export const wholesaleSkuSchema = z.object({ units: int, available: int, held: int });

export const wholesalePackageSchema = z.object({
  metrc_number: z.string(),
  strain: z.string(),
  available_grams: z.number(),
  current_grams: z.number(),
  effective_grams: z.number(),
  held_grams: z.number(),
  skus: z.record(z.string(), wholesaleSkuSchema),
});
export type WholesalePackage = z.infer<typeof wholesalePackageSchema>;

/** GET /api/wholesale/inventory: active packages grouped by strain (case/space-insensitive). */
export const wholesaleInventoryResponseSchema = z.object({
  success: z.literal(true),
  strains: z.array(z.object({ strain: z.string(), total_available_grams: z.number(), packages: z.array(wholesalePackageSchema) })),
});
export type WholesaleInventoryResponse = z.infer<typeof wholesaleInventoryResponseSchema>;

/** GET /api/wholesale/holds. */
export const wholesaleHoldsResponseSchema = z.object({ success: z.literal(true), holds: z.array(wholesaleHoldSchema) });
export type WholesaleHoldsResponse = z.infer<typeof wholesaleHoldsResponseSchema>;

/** POST /api/wholesale/hold: the contract's `{success, hold_id, message}` plus the hold and the units left. */
export const wholesaleHoldCreateResponseSchema = z.object({
  success: z.literal(true),
  hold_id: z.string(),
  message: z.string(),
  hold: wholesaleHoldSchema,
  available_units: int,
});
export type WholesaleHoldCreateResponse = z.infer<typeof wholesaleHoldCreateResponseSchema>;

/** DELETE /api/wholesale/hold/{hold_id}. */
export const wholesaleHoldReleaseResponseSchema = z.object({ success: z.literal(true), message: z.string() });

/** GET /api/wholesale/last-updated (ETag + 304): `{latest_hold_ts}|{latest_fg_history_ts}|{hold_count}`. */
export const wholesaleLastUpdatedResponseSchema = z.object({ fingerprint: z.string() });
