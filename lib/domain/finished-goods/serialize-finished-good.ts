import type { ApexDecrement, FinishedGood, WholesaleHold } from "@/lib/generated/prisma/client";
import type { FinishedGood as FinishedGoodJson } from "@/lib/domain/finished-goods/finished-good-response";
import type { WholesaleHold as WholesaleHoldJson } from "@/lib/domain/wholesale/wholesale-response";

/**
 * A package in the contract's shape: every field of the data model in snake_case, dates as ISO
 * strings, `apex_auto_inventory` as 0/1, `processed_decrements` as `{idempotency_key: {sku,
 * units, ts}}`, `wholesale_holds` as the package's holds, and `effective_grams` (override ?? current).
 * Typed by finishedGoodSchema (finished-good-response.ts). The JSON columns and `status` are cast
 * to what their only writers store: set-skus (`sku_breakdown`), apex-units, apex-settings,
 * custom-skus, and the operations that set a status from finishedGoodStatuses.
 */
export function serializeFinishedGood(
  fg: FinishedGood,
  related: { holds?: WholesaleHold[]; decrements?: ApexDecrement[] } = {},
): FinishedGoodJson {
  return {
    metrc_number: fg.metrc_number,
    strain: fg.strain,
    initial_grams: fg.initial_grams,
    current_grams: fg.current_grams,
    status: fg.status as FinishedGoodJson["status"],
    created_date: fg.created_date.toISOString(),
    updated_date: fg.updated_date.toISOString(),
    notes: fg.notes,
    source_batch_id: fg.source_batch_id,
    grams_ordered: fg.grams_ordered,
    grams_packed: fg.grams_packed,
    grams_packed_lifetime: fg.grams_packed_lifetime,
    grams_fulfilled: fg.grams_fulfilled,
    sku_breakdown: (fg.sku_breakdown ?? []) as FinishedGoodJson["sku_breakdown"],
    apex_auto_inventory: fg.apex_auto_inventory ? 1 : 0,
    apex_units: (fg.apex_units ?? {}) as FinishedGoodJson["apex_units"],
    apex_sku_settings: (fg.apex_sku_settings ?? {}) as FinishedGoodJson["apex_sku_settings"],
    processed_decrements: Object.fromEntries(
      (related.decrements ?? []).map((d) => [d.idempotency_key, { sku: d.sku, units: d.units, ts: d.at.toISOString() }]),
    ),
    custom_skus: (fg.custom_skus ?? null) as FinishedGoodJson["custom_skus"],
    physical_grams_override: fg.physical_grams_override,
    has_physical_override: fg.physical_grams_override !== null,
    effective_grams: fg.physical_grams_override ?? fg.current_grams,
    wholesale_holds: (related.holds ?? []).map(serializeHold),
  };
}

/** A wholesale hold as the contract lists it (`/api/wholesale/holds`, a package's `wholesale_holds`). */
export function serializeHold(h: WholesaleHold): WholesaleHoldJson {
  return {
    id: h.id,
    metrc_number: h.metrc_number,
    sku_name: h.sku_name,
    quantity: h.quantity,
    created_date: h.created_date.toISOString(),
    notes: h.notes,
    created_by: h.created_by,
  };
}
