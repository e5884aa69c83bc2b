import { db } from "@/lib/db/client";
import { strainKey } from "@/lib/domain/strains/strain-key";
import { roundGrams } from "@/lib/domain/finished-goods/constants";

export interface InventorySummary {
  total_packages: number;
  active_packages: number;
  depleted_packages: number;
  archived_packages: number;
  orphaned_packages: number;
  total_grams: number;
  total_strains: number;
}

/**
 * `GET /api/finished-goods/summary` (and the list's `summary`): counts per status over every
 * package; `total_grams` and `total_strains` over the active ones (grams on the shelf, strains
 * compared by their normalised name).
 */
export async function inventorySummary(): Promise<InventorySummary> {
  const rows = await db.finishedGood.findMany({ select: { status: true, strain: true, current_grams: true } });
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  const active = rows.filter((r) => r.status === "active");
  return {
    total_packages: rows.length,
    active_packages: active.length,
    depleted_packages: count("depleted"),
    archived_packages: count("archived"),
    orphaned_packages: count("orphaned"),
    total_grams: roundGrams(active.reduce((sum, r) => sum + r.current_grams, 0)),
    total_strains: new Set(active.map((r) => strainKey(r.strain))).size,
  };
}
