import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { formatUnitSize } from "@/lib/domain/finished-goods/sku-engine";
import { jsonOrNull, optionalReason, requiredError } from "@/lib/domain/finished-goods/apex-fields";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/**
 * `POST …/{metrc}/set-skus` `{skus:[{product_name, unit_size, pack_size, packs_ordered}]}`: the
 * package's SKU breakdown (what ApexAPI's product parser reads: which products, in which unit
 * size and pack, how many packs ordered). Replaces the whole list; `[]` clears it. 400 "skus is
 * required". A numeric `unit_size` is written the contract's way ("0.5g").
 */
export const skuBreakdownItem = z.object({
  product_name: z.string().trim().min(1).max(300),
  unit_size: z.union([z.string().trim().min(1).max(20), z.number().gt(0).max(1000).transform(formatUnitSize)]),
  pack_size: z.number().int().min(1).max(1000).default(1),
  packs_ordered: z.number().int().min(0).max(100_000_000).default(0),
});
export type SkuBreakdownItem = z.output<typeof skuBreakdownItem>;

export const setSkusSchema = z.object({
  skus: z.array(skuBreakdownItem).max(500).nullable().optional(),
  reason: optionalReason,
});
export type SetSkusInput = z.output<typeof setSkusSchema>;

export async function setSkuBreakdown(ctx: ActorContext, metrc: string, input: SetSkusInput) {
  if (input.skus === undefined || input.skus === null) throw requiredError("skus is required", ["skus"]);
  const skus = input.skus;
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const after = await m.tx.finishedGood.update({
      where: { metrc_number: before.metrc_number },
      data: { sku_breakdown: jsonOrNull(skus), updated_date: m.now },
    });
    await writeHistory(m, after, "sku_breakdown", { reason: input.reason ?? null, details: { skus } });
    await m.audit({
      entity: "finished_good",
      entityId: after.metrc_number,
      label: after.strain,
      before: { sku_breakdown: before.sku_breakdown ?? [] },
      after: { sku_breakdown: skus },
    });
    await m.emit("finished_good.updated", { metrc_number: after.metrc_number, strain: after.strain, updated_fields: ["sku_breakdown"] });
    return { success: true as const, metrc_number: after.metrc_number, skus };
  });
}
