import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { strainKey } from "@/lib/domain/strains/strain-key";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import {
  availableGrams,
  effectiveGrams,
  effectiveSkus,
  heldGrams,
  wholesaleSkus,
  type WholesaleSku,
} from "@/lib/domain/finished-goods/sku-engine";
import type { WholesaleInventoryResponse } from "@/lib/domain/wholesale/wholesale-response";

/**
 * `GET /api/wholesale/inventory`: active packages (not depleted, archived or orphaned) grouped by
 * strain — strains that differ only in case or spacing are one group ("Blue Dream" = "blue  dream"),
 * named as the first package spells it. Per package: `available_grams` (the contract formula, holds
 * taken out) and per SKU display name `{units, available, held}` (sku-engine.ts `wholesaleSkus`).
 * Memoised per database version.
 */

export interface WholesalePackage {
  metrc_number: string;
  strain: string;
  available_grams: number;
  current_grams: number;
  effective_grams: number;
  held_grams: number;
  skus: Record<string, WholesaleSku>;
}

export interface WholesaleInventory extends WholesaleInventoryResponse {
  success: true;
  strains: { strain: string; total_available_grams: number; packages: WholesalePackage[] }[];
}

export function getWholesaleInventory(): Promise<WholesaleInventory> {
  return memoByDataVersion("wholesale:inventory", readWholesaleInventory);
}

export async function readWholesaleInventory(): Promise<WholesaleInventory> {
  const packages = await db.finishedGood.findMany({
    where: { status: "active" },
    include: { holds: { select: { sku_name: true, quantity: true } } },
    orderBy: [{ strain: "asc" }, { created_date: "asc" }, { metrc_number: "asc" }],
  });
  const groups = new Map<string, { strain: string; total_available_grams: number; packages: WholesalePackage[] }>();
  for (const fg of packages) {
    const skus = effectiveSkus(fg.custom_skus);
    const available = availableGrams(fg, fg.holds, skus);
    const key = strainKey(fg.strain);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { strain: fg.strain.trim().replace(/\s+/g, " "), total_available_grams: 0, packages: [] }));
    group.total_available_grams = roundGrams(group.total_available_grams + available);
    group.packages.push({
      metrc_number: fg.metrc_number,
      strain: fg.strain,
      available_grams: available,
      current_grams: fg.current_grams,
      effective_grams: effectiveGrams(fg),
      held_grams: heldGrams(fg.holds, skus),
      skus: wholesaleSkus(fg, fg.holds, skus),
    });
  }
  const strains = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
  return { success: true, strains };
}
