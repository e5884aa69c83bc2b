import { z } from "zod";
import { sizes } from "@/lib/domain/batches/constants";

/**
 * Response schemas of the papers/cones inventory and supplies routes (the wire contract).
 * Imported by browser code: zod and pure constants only. `z.object` (not strict) so an added
 * field does not break an old client; tests/integration/wire-contract.test.ts parses the real
 * responses with these and reports unknown keys, so every field the server emits is listed here.
 */

const size = z.enum(sizes);
const isoDateTime = z.iso.datetime();
const int = z.number().int();
const perSize = <T extends z.ZodType>(value: T) => z.object({ "0_5": value, "0_7": value, "1_0": value });
export const stockLevelSchema = z.enum(["warning", "critical"]);

/** A low-stock banner of one paper size (sizes below their threshold only). */
export const paperAlertSchema = z.object({
  size,
  papers_left: int,
  boxes: int,
  individual_papers: int,
  threshold: int,
  papers_per_box: int,
  level: stockLevelSchema,
  message: z.string(),
  /** Dismissed banners are still listed, with `dismissed: true`. */
  dismissed: z.boolean(),
  dismissed_at: isoDateTime.nullable(),
  predicted_days_remaining: z.number().nullable(),
});
export type PaperAlert = z.infer<typeof paperAlertSchema>;

/** GET /api/inventory/ (both spellings). Every size is present in every per-size object. */
export const inventoryResponseSchema = z.object({
  inventory: z.object({
    current_boxes: perSize(int),
    papers_per_box: perSize(int),
    alert_thresholds: perSize(int),
    individual_papers: perSize(int),
    /** Null for a size never counted (no row yet). */
    last_updated: perSize(isoDateTime.nullable()),
  }),
  current_papers: perSize(int),
  alerts: z.array(paperAlertSchema),
  analytics: z.object({
    /** Null when the size had no usage in the window. */
    predicted_days_remaining: perSize(z.number().nullable()),
    average_daily_usage: perSize(z.number().nullable()),
    usage_window_days: int,
    production_days: int,
  }),
});
export type InventoryResponse = z.infer<typeof inventoryResponseSchema>;

/** POST /api/inventory/update: the size after the physical count. */
export const inventoryUpdateResponseSchema = z.object({
  status: z.literal("success"),
  message: z.string(),
  inventory: z.object({
    boxes: int,
    individual_papers: int,
    total_papers: int,
    papers_per_box: int,
    low_stock: z.boolean(),
  }),
});
export type InventoryUpdateResponse = z.infer<typeof inventoryUpdateResponseSchema>;

/** POST /api/inventory/settings: the sizes changed, with their threshold and papers per box. */
export const inventorySettingsResponseSchema = z.object({
  status: z.literal("success"),
  message: z.string(),
  updated: z.partialRecord(size, z.object({ threshold: int, papers_per_box: int })),
});
export type InventorySettingsResponse = z.infer<typeof inventorySettingsResponseSchema>;

/** POST /api/dismiss-inventory-alert/{size}: `dismissed` = the size's alert is dismissed now. */
export const dismissResponseSchema = z.object({ status: z.literal("success"), message: z.string(), dismissed: z.boolean() });
export type DismissResponse = z.infer<typeof dismissResponseSchema>;

/** POST /api/dismiss-inventory-alerts: `dismissed` = the sizes this call dismissed (may be empty). */
export const dismissAllResponseSchema = z.object({ status: z.literal("success"), message: z.string(), dismissed: z.array(size) });
export type DismissAllResponse = z.infer<typeof dismissAllResponseSchema>;

/** A supply (papers per size and the others: tips, tubes, boxes …) as lib/domain/supplies/supplies.ts serialises it. */
export const supplySchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** "0_5"… for papers; null when unsized. */
  size: z.string().nullable(),
  name: z.string(),
  unit: z.string(),
  boxes: int,
  individual_units: int,
  units_per_box: int,
  total_units: int,
  low_threshold_boxes: int,
  low_stock: z.boolean(),
  level: stockLevelSchema.nullable(),
  alert_dismissed: z.boolean(),
  alert_dismissed_at: isoDateTime.nullable(),
  last_updated: isoDateTime,
  average_daily_usage: z.number().nullable(),
  predicted_days_remaining: z.number().nullable(),
  /** Bill of materials: units of this supply one pre-roll (`unit_0_5` …) or pack (`pack_6` …) uses; empty: none. */
  bom: z.array(z.object({ applies_to: z.string(), quantity: z.number() })),
});
export type Supply = z.infer<typeof supplySchema>;

/** GET /api/supplies. */
export const suppliesResponseSchema = z.object({ supplies: z.array(supplySchema) });
export type SuppliesResponse = z.infer<typeof suppliesResponseSchema>;

/** GET /api/supplies/{id}. */
export const supplyResponseSchema = z.object({ supply: supplySchema });
export type SupplyResponse = z.infer<typeof supplyResponseSchema>;

/** POST /api/supplies (201) and PATCH /api/supplies/{id}. */
export const supplySaveResponseSchema = z.object({ success: z.literal(true), supply: supplySchema });
export type SupplySaveResponse = z.infer<typeof supplySaveResponseSchema>;
