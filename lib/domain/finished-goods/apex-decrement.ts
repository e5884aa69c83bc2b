import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import type { FinishedGood, Prisma } from "@/lib/generated/prisma/client";
import { ApiError, badRequest } from "@/lib/http/errors";
import { overrideReason } from "@/lib/domain/finished-goods/fields";
import { checkLabHold, type LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { effectiveSkus, parseApexSettings, parseApexUnits } from "@/lib/domain/finished-goods/sku-engine";
import { jsonOrNull, optionalReason, requireSku, requiredError } from "@/lib/domain/finished-goods/apex-fields";
import { apexCalculationFor } from "@/lib/domain/finished-goods/apex-calculate";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { takeGrams } from "@/lib/domain/finished-goods/move-grams";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/**
 * `POST …/{metrc}/apex-decrement` `{sku, units, reason, idempotency_key}`: a sale in Apex of
 * `units` of one SKU (any vocabulary). What it changes (decided; the legacy decremented
 * `apex_units[sku]` and the grams went with it):
 *
 * - `previous_units` = the units on offer for that SKU: the stored `apex_units[sku]` when Apex
 *   auto inventory is off and a count is stored, else the apex-calculate figure.
 * - The grams leave the package: units × grams_per_unit off `current_grams` (and off a physical
 *   override, which is a shelf count, so the next apex-calculate already shows the sale); a stored
 *   `apex_units[sku]` and a `manual_units` override of that SKU drop by the same units.
 * - `current_units` = previous_units − units. More units than on offer, or more grams than the
 *   deduct's rule allows (available = effective − ordered − packed − held: a store sale never takes
 *   grams held for wholesale or reserved by orders; move-grams.ts), is a 400 "Insufficient units
 *   available" (the contract's answer; `details` adds the held/ordered/available grams) and
 *   changes nothing.
 * - Lab-state holds apply (409 `lab_hold`, "Package is on lab hold…", so ApexAPI sees a refusal
 *   it can show) unless an admin sends `override_reason`.
 * - Idempotent: the key is recorded as an `ApexDecrement` row (unique per package and key) in the
 *   same transaction as the change. A key seen before answers `{success:true, duplicate:true,
 *   message:"Already processed", idempotency_key}` and changes nothing; two identical requests at
 *   once serialise on the write lock (SQLite) or collide on the unique row (PostgreSQL) — either
 *   way one applies. Without a key every call applies.
 */
export const apexDecrementSchema = z.object({
  sku: z.string().trim().max(200).optional(),
  units: z.number().int().min(0).max(100_000_000).optional(),
  reason: optionalReason,
  idempotency_key: z.string().trim().max(200).nullable().optional(),
  override_reason: overrideReason,
});
export type ApexDecrementInput = z.output<typeof apexDecrementSchema>;

class AlreadyProcessed extends Error {}

/** The contract's 400; `grams` (held/ordered/available grams) when the reservations refused it. */
function insufficientUnits(available: number, requested: number, grams?: Record<string, unknown>) {
  const { override: _hint, ...figures } = grams ?? {};
  return badRequest(
    "Insufficient units available",
    { available_units: available, requested_units: requested, ...figures },
    "insufficient_units",
  );
}

export async function apexDecrement(
  ctx: ActorContext,
  metrc: string,
  input: ApexDecrementInput,
  caller: LabHoldCaller = { isAdmin: false },
) {
  if (!input.sku || !input.units) throw requiredError("sku and units are required", ["sku", "units"]);
  const skuName = input.sku;
  const units = input.units;
  const key = input.idempotency_key || null;
  const duplicate = { success: true as const, duplicate: true as const, message: "Already processed", idempotency_key: key };
  try {
    return await mutate(ctx, async (m) => {
      const fg = await loadFinishedGood(m.tx, metrc);
      const where = { metrc_number: fg.metrc_number };
      if (key && (await m.tx.apexDecrement.findUnique({ where: { metrc_number_idempotency_key: { ...where, idempotency_key: key } } }))) {
        throw new AlreadyProcessed();
      }
      await checkLabHold(m, fg, { ...caller, overrideReason: input.override_reason });
      const skus = effectiveSkus(fg.custom_skus);
      const sku = requireSku(skuName, skus);
      const holds = await m.tx.wholesaleHold.findMany({ where, select: { sku_name: true, quantity: true } });
      const stored = parseApexUnits(fg.apex_units, skus);
      const settings = parseApexSettings(fg.apex_sku_settings, skus);
      const calculated = apexCalculationFor(fg, holds).calculated_units[sku.key].units;
      const previousUnits = !fg.apex_auto_inventory && stored[sku.key] !== undefined ? stored[sku.key] : calculated;
      const grams = roundGrams(units * sku.grams_per_unit);
      if (units > previousUnits) throw insufficientUnits(previousUnits, units);

      const data: Prisma.FinishedGoodUpdateManyMutationInput = {};
      const auditBefore: Record<string, unknown> = { current_grams: fg.current_grams };
      const auditAfter: Record<string, unknown> = {};
      if (stored[sku.key] !== undefined) {
        const nextUnits = { ...stored, [sku.key]: Math.max(0, stored[sku.key] - units) };
        data.apex_units = jsonOrNull(nextUnits);
        auditBefore.apex_units = stored;
        auditAfter.apex_units = nextUnits;
      }
      const manual = settings[sku.key]?.manual_units;
      if (manual !== null && manual !== undefined) {
        const nextSettings = { ...settings, [sku.key]: { ...settings[sku.key], manual_units: Math.max(0, manual - units) } };
        data.apex_sku_settings = jsonOrNull(nextSettings);
        auditBefore.apex_sku_settings = settings;
        auditAfter.apex_sku_settings = nextSettings;
      }
      // The deduct's conditional update (move-grams.ts, rule "reservations"): a store sale may not
      // take grams held for wholesale or reserved by orders; the override moves with the grams.
      let after: FinishedGood;
      try {
        ({ after } = await takeGrams(m, fg.metrc_number, grams, data, {
          keep: "reservations",
          isAdmin: caller.isAdmin,
          overrideReason: input.override_reason,
        }));
      } catch (err) {
        if (err instanceof ApiError && (err.code === "insufficient_grams" || err.code === "grams_reserved")) {
          throw insufficientUnits(previousUnits, units, err.details);
        }
        throw err;
      }
      auditBefore.status = fg.status;
      auditAfter.status = after.status;
      auditAfter.current_grams = after.current_grams;

      if (key) await m.tx.apexDecrement.create({ data: { ...where, idempotency_key: key, sku: sku.key, units, at: m.now } });
      const currentUnits = previousUnits - units;
      const reason = input.reason ?? null;
      await writeHistory(m, after, "apex_decrement", {
        gramsChanged: -grams,
        reason,
        details: {
          sku: sku.key,
          sku_sent: skuName,
          units,
          previous_units: previousUnits,
          current_units: currentUnits,
          idempotency_key: key,
          previous_grams: fg.current_grams,
        },
      });
      await m.audit({ entity: "finished_good", entityId: after.metrc_number, label: after.strain, before: auditBefore, after: auditAfter });
      await m.emit("finished_good.apex_decremented", {
        metrc_number: after.metrc_number,
        strain: after.strain,
        sku: sku.key,
        units,
        idempotency_key: key,
        grams,
        previous_units: previousUnits,
        current_units: currentUnits,
        current_grams: after.current_grams,
      });
      return {
        success: true as const,
        metrc_number: after.metrc_number,
        sku: skuName,
        sku_key: sku.key,
        units_decremented: units,
        previous_units: previousUnits,
        current_units: currentUnits,
        idempotency_key: key,
        grams_decremented: grams,
        previous_grams: fg.current_grams,
        current_grams: after.current_grams,
        status: after.status,
      };
    });
  } catch (err) {
    // A key seen before, or a twin that committed the same key first (its row is unique).
    if (err instanceof AlreadyProcessed || (key && (err as { code?: string }).code === "P2002")) return duplicate;
    throw err;
  }
}
