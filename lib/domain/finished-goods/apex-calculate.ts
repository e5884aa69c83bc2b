import { db, type Tx } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import type { FinishedGood, WholesaleHold } from "@/lib/generated/prisma/client";
import { calculatePackage, type ApexCalculation } from "@/lib/domain/finished-goods/sku-engine";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";

/**
 * `GET …/{metrc}/apex-calculate`: units per SKU for Apex (sku-engine.ts has the formulas).
 * ApexAPI polls it every 5 s for every package, so it is read-only and memoised per database
 * version and package: between two commits a poll runs no query at all.
 *
 * Archived and orphaned packages have nothing on the shelf to sell: every SKU counts 0 (with
 * `available_grams` 0). Active and depleted packages are calculated from their grams.
 */

export interface ApexCalculateResponse extends ApexCalculation {
  success: true;
  metrc_number: string;
  /** Additions beside the contract's fields. */
  strain: string;
  status: string;
  apex_auto_inventory: boolean;
  effective_grams: number;
  held_grams: number;
}

export function isSellable(status: string): boolean {
  return status !== "archived" && status !== "orphaned";
}

/** The calculation for a loaded package and its holds (no query). */
export function apexCalculationFor(fg: FinishedGood, holds: Pick<WholesaleHold, "sku_name" | "quantity">[]): ApexCalculateResponse {
  const calc = calculatePackage(fg, holds, { sellable: isSellable(fg.status) });
  return {
    success: true,
    metrc_number: fg.metrc_number,
    available_grams: calc.available_grams,
    calculated_units: calc.calculated_units,
    total_grams_allocated: calc.total_grams_allocated,
    remaining_grams: calc.remaining_grams,
    strain: fg.strain,
    status: fg.status,
    apex_auto_inventory: fg.apex_auto_inventory,
    effective_grams: calc.effective_grams,
    held_grams: calc.held_grams,
  };
}

/** Loads the package (404 `Package not found`) and its holds, and calculates. */
export async function calculateApexUnits(tx: Pick<Tx, "finishedGood" | "wholesaleHold">, metrc: string): Promise<ApexCalculateResponse> {
  const fg = await loadFinishedGood(tx, metrc);
  const holds = await tx.wholesaleHold.findMany({ where: { metrc_number: fg.metrc_number }, select: { sku_name: true, quantity: true } });
  return apexCalculationFor(fg, holds);
}

/** The memoised read behind the polled route. */
export function getApexCalculation(metrc: string): Promise<ApexCalculateResponse> {
  const key = metrc.trim().toUpperCase();
  return memoByDataVersion(`apex-calculate:${key}`, () => calculateApexUnits(db, key));
}
