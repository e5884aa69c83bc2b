import { z } from "zod";
import { finishedGoodStatuses } from "@/lib/domain/finished-goods/constants";
import { wholesaleHoldSchema } from "@/lib/domain/wholesale/wholesale-response";

/**
 * Response schemas of the finished-goods routes (the wire contract). Imported by browser code:
 * zod and pure constants only. `z.object` (not strict) so an added field does not break an old
 * client; tests/integration/wire-contract.test.ts parses the real responses and reports unknown
 * keys, so every field the server emits is listed here. JSON columns are typed as their writers
 * (set-skus, apex-units, apex-settings, custom-skus) store them.
 */

const int = z.number().int();
const isoDateTime = z.iso.datetime();

export const finishedGoodStatusSchema = z.enum(finishedGoodStatuses);

/** `sku_breakdown` entries (POST …/set-skus). */
export const skuBreakdownItemSchema = z.object({ product_name: z.string(), unit_size: z.string(), pack_size: int, packs_ordered: int });
export type SkuBreakdownItem = z.infer<typeof skuBreakdownItemSchema>;

/** `apex_sku_settings` values, keyed by canonical SKU key. */
export const apexSkuSettingSchema = z.object({ excluded: z.boolean(), manual_units: int.nullable() });
export type ApexSkuSetting = z.infer<typeof apexSkuSettingSchema>;

/** `custom_skus` values, keyed by sku_key. `grams_per_unit` is one sellable unit (a pack is one unit). */
export const customSkuSchema = z.object({ name: z.string(), grams_per_unit: z.number(), pack_size: int, unit_size: z.string() });
export type CustomSku = z.infer<typeof customSkuSchema>;

/** A package (METRC tag) as serializeFinishedGood emits it. */
export const finishedGoodSchema = z.object({
  metrc_number: z.string(),
  strain: z.string(),
  initial_grams: z.number(),
  current_grams: z.number(),
  status: finishedGoodStatusSchema,
  created_date: isoDateTime,
  updated_date: isoDateTime,
  notes: z.string().nullable(),
  source_batch_id: z.string().nullable(),
  grams_ordered: z.number(),
  grams_packed: z.number(),
  grams_packed_lifetime: z.number(),
  grams_fulfilled: z.number(),
  /** [] when never set. */
  sku_breakdown: z.array(skuBreakdownItemSchema),
  /** 0/1 (legacy). */
  apex_auto_inventory: z.literal([0, 1]),
  /** Canonical SKU key → units last set for Apex; {} when none. */
  apex_units: z.record(z.string(), int),
  /** Canonical SKU key → listing setting; {} when none. */
  apex_sku_settings: z.record(z.string(), apexSkuSettingSchema),
  /** idempotency_key → the Apex decrement already applied under it. */
  processed_decrements: z.record(z.string(), z.object({ sku: z.string(), units: int, ts: isoDateTime })),
  /** Null when the package has none. */
  custom_skus: z.record(z.string(), customSkuSchema).nullable(),
  physical_grams_override: z.number().nullable(),
  has_physical_override: z.boolean(),
  /** physical_grams_override ?? current_grams. */
  effective_grams: z.number(),
  wholesale_holds: z.array(wholesaleHoldSchema),
});
export type FinishedGood = z.infer<typeof finishedGoodSchema>;

/** GET /api/finished-goods/{metrc}: the package itself. */
export const finishedGoodResponseSchema = finishedGoodSchema;

/** GET /api/finished-goods/summary (and the list's `summary`): counts per status; grams and strains of the active ones. */
export const finishedGoodSummarySchema = z.object({
  total_packages: int,
  active_packages: int,
  depleted_packages: int,
  archived_packages: int,
  orphaned_packages: int,
  total_grams: z.number(),
  total_strains: int,
});
export type FinishedGoodSummary = z.infer<typeof finishedGoodSummarySchema>;

/** GET /api/finished-goods/: packages newest first, the whole inventory's summary and the stock-alert thresholds. */
export const finishedGoodListSchema = z.object({
  packages: z.array(finishedGoodSchema),
  total: int,
  summary: finishedGoodSummarySchema,
  settings: z.object({ warning_grams: z.number(), critical_grams: z.number() }),
});
export type FinishedGoodList = z.infer<typeof finishedGoodListSchema>;
export const finishedGoodListResponseSchema = finishedGoodListSchema;

/** POST /api/finished-goods/ (201). */
export const finishedGoodCreateResponseSchema = z.object({ success: z.literal(true), message: z.string(), package: finishedGoodSchema });
/** PUT /api/finished-goods/{metrc}. */
export const finishedGoodUpdateResponseSchema = z.object({
  success: z.literal(true),
  updated_fields: z.array(z.string()),
  package: finishedGoodSchema,
});

/** History `details`: what the operation recorded (always `source` and `delta`, then its own facts). */
const historyDetails = z.record(z.string(), z.unknown());

/** GET /api/finished-goods/history?limit=N: the newest rows of every package, newest first; `total` = rows returned. */
export const finishedGoodHistoryResponseSchema = z.object({
  history: z.array(
    z.object({
      id: int,
      metrc_number: z.string(),
      timestamp: isoDateTime,
      change_type: z.string(),
      grams_changed: z.number().nullable(),
      current_grams: z.number(),
      grams_ordered: z.number(),
      grams_packed: z.number(),
      grams_fulfilled: z.number(),
      status: z.string().nullable(),
      details: historyDetails,
      actor: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  total: int,
});
export type FinishedGoodHistoryResponse = z.infer<typeof finishedGoodHistoryResponseSchema>;

/** GET /api/finished-goods/{metrc}/history: one package's timeline, newest first (also after a permanent delete). */
export const packageHistoryResponseSchema = z.object({
  metrc_number: z.string(),
  /** Null only for a deleted package whose history never recorded its strain. */
  strain: z.string().nullable(),
  history: z.array(
    z.object({
      timestamp: isoDateTime,
      change_type: z.string(),
      grams_changed: z.number().nullable(),
      current_grams: z.number(),
      reason: z.string().nullable(),
      grams_ordered: z.number(),
      grams_packed: z.number(),
      grams_fulfilled: z.number(),
      status: z.string().nullable(),
      actor: z.string().nullable(),
      /** `details.source`: web (a person) or api (ApexAPI, keys), import, worker … */
      source: z.string().nullable(),
      details: historyDetails,
    }),
  ),
  total_changes: int,
});
export type PackageHistoryResponse = z.infer<typeof packageHistoryResponseSchema>;

/** POST …/{metrc}/deduct. */
export const deductResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  previous_grams: z.number(),
  current_grams: z.number(),
  deducted_grams: z.number(),
  status: finishedGoodStatusSchema,
});
/** POST …/{metrc}/add. */
export const addResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  previous_grams: z.number(),
  current_grams: z.number(),
  added_grams: z.number(),
  status: finishedGoodStatusSchema,
});
/** POST …/{metrc}/pack. */
export const packResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  previous_grams: z.number(),
  current_grams: z.number(),
  grams_packed: z.number(),
  packed_grams: z.number(),
  grams_packed_lifetime: z.number(),
});
/** POST …/{metrc}/order. */
export const orderResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  grams_ordered: z.number(),
  current_grams: z.number(),
  ordered_grams: z.number(),
});
/** POST …/{metrc}/physical-override. */
export const physicalOverrideResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  physical_grams_override: z.number().nullable(),
  effective_grams: z.number(),
  current_grams: z.number(),
  has_physical_override: z.boolean(),
});

export { lastUpdatedResponseSchema } from "@/lib/domain/batches/batch-response";
export {
  wholesaleHoldSchema,
  wholesaleInventoryResponseSchema,
  type WholesaleInventoryResponse,
} from "@/lib/domain/wholesale/wholesale-response";

/** One SKU of `calculated_units` (lib/domain/finished-goods/sku-engine.ts `CalculatedSku`). */
export const calculatedSkuSchema = z.object({
  units: int,
  grams_used: z.number(),
  excluded: z.boolean(),
  name: z.string(),
  grams_per_unit: z.number(),
  manual_units: int.nullable(),
  held_units: int,
  source: z.enum(["default", "custom"]),
});

/**
 * GET /api/finished-goods/{metrc}/apex-calculate (polled by ApexAPI; ETag + 304): the contract's
 * `success, metrc_number, available_grams, calculated_units, total_grams_allocated,
 * remaining_grams` and the additions beside them.
 */
export const apexCalculateResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  available_grams: z.number(),
  calculated_units: z.record(z.string(), calculatedSkuSchema),
  total_grams_allocated: z.number(),
  remaining_grams: z.number(),
  strain: z.string(),
  status: finishedGoodStatusSchema,
  apex_auto_inventory: z.boolean(),
  effective_grams: z.number(),
  held_grams: z.number(),
});

/** DELETE /api/finished-goods/{metrc} (archive, `?restore`, `?orphan`, `?permanent`): `status` is null after a permanent delete. */
export const removeFinishedGoodResponseSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  metrc_number: z.string(),
  status: finishedGoodStatusSchema.nullable(),
});

/** POST …/{metrc}/apex-auto. */
export const apexAutoResponseSchema = z.object({ success: z.literal(true), metrc_number: z.string(), apex_auto_inventory: z.boolean() });

/** POST …/{metrc}/apex-decrement, applied: the contract's fields and the grams beside them. */
export const apexDecrementAppliedSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  /** The SKU as sent (any vocabulary); `sku_key` is its canonical key. */
  sku: z.string(),
  sku_key: z.string(),
  units_decremented: int,
  previous_units: int,
  current_units: int,
  idempotency_key: z.string().nullable(),
  grams_decremented: z.number(),
  previous_grams: z.number(),
  current_grams: z.number(),
  status: finishedGoodStatusSchema,
});
/** POST …/{metrc}/apex-decrement with an `idempotency_key` seen before: nothing changed. */
export const apexDecrementDuplicateSchema = z.object({
  success: z.literal(true),
  duplicate: z.literal(true),
  message: z.string(),
  idempotency_key: z.string().nullable(),
});
export const apexDecrementResponseSchema = z.union([apexDecrementAppliedSchema, apexDecrementDuplicateSchema]);
export type ApexDecrementResponse = z.infer<typeof apexDecrementResponseSchema>;

/** GET and POST …/{metrc}/apex-settings: every SKU's setting (defaults filled in). */
export const apexSettingsResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  settings: z.record(z.string(), apexSkuSettingSchema),
  auto_calculate: z.boolean(),
});
export type ApexSettingsResponse = z.infer<typeof apexSettingsResponseSchema>;

/** POST …/{metrc}/apex-units: the four default SKUs' counts (0 when unset) and the whole `apex_units`. */
export const apexUnitsResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  singles_0_5g: int,
  singles_1g: int,
  magnetic_box_6pk: int,
  magnetic_box_12pk: int,
  apex_units: z.record(z.string(), int),
});

/** POST …/{metrc}/complete-order. */
export const completeOrderResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  previous_grams_ordered: z.number(),
  current_grams_ordered: z.number(),
  previous_grams_fulfilled: z.number(),
  current_grams_fulfilled: z.number(),
  current_grams: z.number(),
  previous_grams: z.number(),
  order_id: z.string().nullable(),
});

/** `effective_skus` values: the defaults and the package's custom SKUs, keyed by canonical key. */
export const effectiveSkuSchema = z.object({
  unit_size: z.string(),
  pack_size: int,
  source: z.enum(["default", "custom"]),
  name: z.string(),
  grams_per_unit: z.number(),
});

/** GET and POST …/{metrc}/custom-skus. */
export const customSkusResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  /** Null when the package has none. */
  custom_skus: z.record(z.string(), customSkuSchema).nullable(),
  effective_skus: z.record(z.string(), effectiveSkuSchema),
});
export type CustomSkusResponse = z.infer<typeof customSkusResponseSchema>;
/** PUT …/{metrc}/custom-skus: the added or replaced one beside the whole view. */
export const customSkuUpsertResponseSchema = customSkusResponseSchema.extend({ sku_key: z.string(), sku_def: customSkuSchema });
/** DELETE …/{metrc}/custom-skus/{sku_key}. */
export const customSkuDeleteResponseSchema = customSkusResponseSchema.extend({ deleted_sku: z.string() });

/** POST …/{metrc}/set-ordered. */
export const setOrderedResponseSchema = z.object({ success: z.literal(true), metrc_number: z.string(), grams_ordered: z.number() });
/** POST …/{metrc}/set-packed. */
export const setPackedResponseSchema = z.object({ success: z.literal(true), metrc_number: z.string(), grams_packed: z.number() });
/** POST …/{metrc}/set-skus: the stored breakdown. */
export const setSkusResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  skus: z.array(skuBreakdownItemSchema),
});
/** POST …/{metrc}/sync. */
export const syncOrderTrackingResponseSchema = z.object({
  success: z.literal(true),
  metrc_number: z.string(),
  grams_ordered: z.number(),
  grams_packed: z.number(),
});

/** GET /api/finished-goods/calculator?grams=. */
export const calculatorResponseSchema = z.object({
  input_grams: z.number(),
  primary_sizes: z.object({ "0.5g_singles": int, "1.0g_singles": int, "0.5g_6pack": int, "0.5g_12pack": int }),
  custom_sizes: z.object({ "0.7g": int, "0.8g": int }),
});
