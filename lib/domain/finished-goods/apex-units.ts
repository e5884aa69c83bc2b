import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { badRequest } from "@/lib/http/errors";
import { defaultSkuKeys, effectiveSkus, parseApexUnits, resolveSku } from "@/lib/domain/finished-goods/sku-engine";
import { jsonOrNull, optionalReason, unknownSku } from "@/lib/domain/finished-goods/apex-fields";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { dict, own } from "@/lib/safe-keys";

/**
 * `POST …/{metrc}/apex-units`: sets the stored per-SKU counts (`apex_units`) — the counts last set
 * for Apex by ApexAPI or a person, and the base `apex-decrement` takes sales from. Any of
 * `singles_0_5g`, `singles_1g`, `magnetic_box_6pk`, `magnetic_box_12pk` (or a custom SKU key, or
 * the same SKUs in vocabularies B/C), each an integer ≥ 0, or null to forget the stored count.
 * Keys are stored canonical (vocabulary A). A numeric value under a name that is no SKU of the
 * package is a 400 `Unknown SKU`; other fields are ignored. Answers the four default counts at the
 * top level (0 when none is stored) and the whole `apex_units`.
 */
export const apexUnitsSchema = z.looseObject({ reason: optionalReason });
export type ApexUnitsInput = z.output<typeof apexUnitsSchema>;

const countValue = z.number().int().min(0).max(100_000_000).nullable();

export async function setApexUnits(ctx: ActorContext, metrc: string, input: ApexUnitsInput) {
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const skus = effectiveSkus(before.custom_skus);
    const previous = parseApexUnits(before.apex_units, skus);
    const next = dict(previous);
    const changed: string[] = [];
    for (const [name, value] of Object.entries(input)) {
      if (name === "reason") continue;
      const sku = resolveSku(name, skus);
      if (!sku) {
        if (typeof value === "number") throw unknownSku(name, skus);
        continue;
      }
      const parsed = countValue.safeParse(value);
      if (!parsed.success) {
        throw badRequest(
          `Invalid value for ${name}`,
          { location: "body", fields: { [name]: ["Expected an integer ≥ 0 or null"] } },
          "validation_failed",
        );
      }
      if (parsed.data === null) delete next[sku.key];
      else next[sku.key] = parsed.data;
      if (own(next, sku.key) !== own(previous, sku.key) && !changed.includes(sku.key)) changed.push(sku.key);
    }
    const answer = {
      success: true as const,
      metrc_number: before.metrc_number,
      ...Object.fromEntries(defaultSkuKeys.map((k) => [k, own(next, k) ?? 0])),
      apex_units: next,
    };
    // Nothing differs: answer without writing (the transaction is rolled back, it wrote nothing).
    if (changed.length === 0) throw new Unchanged(answer);

    const fg = await m.tx.finishedGood.update({
      where: { metrc_number: before.metrc_number },
      data: { apex_units: jsonOrNull(Object.keys(next).length ? next : null), updated_date: m.now },
    });
    await m.audit({
      entity: "finished_good",
      entityId: fg.metrc_number,
      label: fg.strain,
      before: { apex_units: Object.keys(previous).length ? previous : null },
      after: { apex_units: Object.keys(next).length ? next : null },
    });
    await writeHistory(m, fg, "apex_units", { reason: input.reason ?? null, details: { apex_units: next, previous, changed } });
    await m.emit("finished_good.apex_updated", {
      metrc_number: fg.metrc_number,
      strain: fg.strain,
      changed: changed.map((k) => `apex_units.${k}`),
    });
    return answer;
  }).catch((err: unknown) => {
    if (err instanceof Unchanged) return err.answer;
    throw err;
  });
}

class Unchanged<T> extends Error {
  constructor(readonly answer: T) {
    super("unchanged");
  }
}
