import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { queryBool } from "@/lib/http/params";
import { getSettings } from "@/lib/domain/settings/settings";
import { strainKey } from "@/lib/domain/strains/strain-key";
import { finishedGoodStatuses } from "@/lib/domain/finished-goods/constants";
import { packageInclude } from "@/lib/domain/finished-goods/get-finished-good";
import { inventorySummary } from "@/lib/domain/finished-goods/inventory-summary";
import { serializeFinishedGood } from "@/lib/domain/finished-goods/serialize-finished-good";
import type { FinishedGoodList } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * `GET /api/finished-goods/`: the packages (with holds and applied Apex decrements), a summary of
 * the whole inventory, and the stock-alert thresholds. Archived and orphaned packages only with
 * `include_archived=true` or when `status` asks for them. `strain` matches part of the strain
 * name, `search` part of the METRC tag or of the strain, both ignoring case and extra spaces.
 */
export const listFinishedGoodsQuery = z.strictObject({
  include_archived: queryBool(),
  strain: z.string().trim().max(200).optional(),
  // "All" in the page's filter arrives as "" or "all".
  status: z.preprocess((v) => (v === "" || v === "all" ? undefined : v), z.enum(finishedGoodStatuses).optional()),
  search: z.string().trim().max(200).optional(),
});
export type ListFinishedGoodsQuery = z.output<typeof listFinishedGoodsQuery>;

export async function listFinishedGoods(query: ListFinishedGoodsQuery): Promise<FinishedGoodList> {
  const where: Prisma.FinishedGoodWhereInput = {};
  if (query.status) where.status = query.status;
  else if (!query.include_archived) where.status = { in: ["active", "depleted"] };
  const rows = await db.finishedGood.findMany({
    where,
    include: packageInclude,
    orderBy: [{ created_date: "desc" }, { metrc_number: "asc" }],
  });
  const strainPart = query.strain ? strainKey(query.strain) : "";
  const searchPart = query.search ? strainKey(query.search) : "";
  const packages = rows.filter((fg) => {
    const strain = strainKey(fg.strain);
    if (strainPart && !strain.includes(strainPart)) return false;
    if (searchPart && !fg.metrc_number.toLowerCase().includes(searchPart.replace(/\s/g, "")) && !strain.includes(searchPart)) return false;
    return true;
  });
  const settings = await getSettings();
  return {
    packages: packages.map(({ holds, decrements, ...fg }) => serializeFinishedGood(fg, { holds, decrements })),
    total: packages.length,
    summary: await inventorySummary(),
    settings: { warning_grams: settings.pushover.warning_grams, critical_grams: settings.pushover.critical_grams },
  };
}
