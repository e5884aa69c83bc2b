import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";
import { badRequest, notFound } from "@/lib/http/errors";
import { PAPER_KIND } from "@/lib/domain/supplies/paper-sizes";
import { bomUsesSchema, type BomUse } from "@/lib/domain/supplies/bom-schema";
import { supplyEventPayload } from "@/lib/domain/supplies/supply-stock";

/**
 * Bill of materials (SPEC §2): how many of a supply one pre-roll of a size (`unit_0_5` …) or one
 * pack (`pack_1`, `pack_6`, `pack_12`) uses, e.g. one glass tip per pre-roll of every size. Counts
 * deduct the per-pre-roll lines in the same transaction as the papers
 * (lib/domain/batches/record-counts.ts); packing — the batch's bagging counters `packaged_singles`,
 * `packaged_6_packs`, `packaged_12_packs` rising (create/PATCH batch) — deducts the per-pack lines
 * (consume-supplies.ts `consumeForPacks`). Papers/cones are one per pre-roll already.
 */

export { bomUsesSchema, type BomUse };

/** Every supply's uses, by supply id, in a fixed order. */
export async function bomBySupply(supplyIds: string[]): Promise<Map<string, { applies_to: string; quantity: number }[]>> {
  const items = await db.bomItem.findMany({ where: { supply_id: { in: supplyIds } }, orderBy: { applies_to: "asc" } });
  const out = new Map<string, { applies_to: string; quantity: number }[]>();
  for (const item of items) {
    const list = out.get(item.supply_id) ?? [];
    list.push({ applies_to: item.applies_to, quantity: item.quantity });
    out.set(item.supply_id, list);
  }
  return out;
}

const view = (uses: { applies_to: string; quantity: number }[]) =>
  uses
    .map((u) => `${u.applies_to}×${u.quantity}`)
    .sort()
    .join(", ") || null;

/** Replaces a supply's uses (admin): audited as one `bom` field, `supply.updated`. */
export async function setSupplyBom(ctx: ActorContext, supplyId: string, body: z.output<typeof bomUsesSchema>) {
  await mutateIfChanged(ctx, async (m, unchanged) => {
    const supply = await m.tx.supply.findUnique({ where: { id: supplyId } });
    if (!supply) throw notFound("Supply not found");
    if (supply.kind === PAPER_KIND) {
      throw badRequest("Papers and cones are used one per pre-roll already", undefined, "paper_bom");
    }
    const before = await m.tx.bomItem.findMany({ where: { supply_id: supplyId } });
    const beforeView = view(before);
    const afterView = view(body.uses);
    if (beforeView === afterView) unchanged(null);
    await m.tx.bomItem.deleteMany({ where: { supply_id: supplyId } });
    if (body.uses.length) await m.tx.bomItem.createMany({ data: body.uses.map((u) => ({ supply_id: supplyId, ...u })) });
    await m.audit({ entity: "supply", entityId: supplyId, label: supply.name, before: { bom: beforeView }, after: { bom: afterView } });
    await m.emit("supply.updated", supplyEventPayload(supply));
    return null;
  });
}
