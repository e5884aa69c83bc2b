import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { badRequest, conflict, notFound } from "@/lib/http/errors";
import {
  customSkuDefInput,
  defaultSkuKeyFor,
  effectiveSkus,
  normaliseCustomSkuDef,
  parseApexSettings,
  parseApexUnits,
  parseCustomSkus,
  resolveSku,
  skuAliasForm,
  type CustomSkuDef,
  type SkuDefinition,
} from "@/lib/domain/finished-goods/sku-engine";
import { jsonOrNull, optionalReason, requiredError } from "@/lib/domain/finished-goods/apex-fields";
import { mergeSettings, settingsMapInput } from "@/lib/domain/finished-goods/apex-settings";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { dict, own, PROTO_KEY } from "@/lib/safe-keys";

/**
 * Custom SKUs of a package (`custom_skus`, stored `{sku_key: {name, grams_per_unit, pack_size,
 * unit_size}}`; the API2 form `{unit_size, pack_size, display_name}` is accepted and normalised —
 * sku-engine.ts). GET lists them with `effective_skus` (defaults + custom, `source`); POST replaces
 * them all (`null` clears); PUT adds or replaces one (`sku_key`, `sku_def`, optional
 * `current_settings` — Apex settings to save with it); DELETE removes one (404 "Custom SKU not found").
 *
 * Rules: a custom SKU's key or name may not mean a default SKU or another custom SKU (400); a
 * custom SKU with units held for wholesale cannot be removed, renamed or re-weighed (409 naming
 * the holds, release them first: holds are stored by display name and weighed by grams per unit); the
 * Apex settings and stored Apex units of a removed SKU go with it.
 */

// "__proto__" could not be a key of the stored map (nor of the JSON bodies that send it); other
// names, "constructor" included, are ordinary keys.
const skuKey = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((k) => k !== PROTO_KEY, { message: '"__proto__" cannot be a SKU key' });
export const customSkusMapInput = z.record(skuKey, customSkuDefInput);

export const replaceCustomSkusSchema = z.object({ custom_skus: customSkusMapInput.nullable().optional(), reason: optionalReason });
export type ReplaceCustomSkusInput = z.output<typeof replaceCustomSkusSchema>;

export const upsertCustomSkuSchema = z.object({
  sku_key: skuKey.optional(),
  sku_def: customSkuDefInput.optional(),
  current_settings: settingsMapInput.nullable().optional(),
  reason: optionalReason,
});
export type UpsertCustomSkuInput = z.output<typeof upsertCustomSkuSchema>;

export type EffectiveSkusView = Record<
  string,
  { unit_size: string; pack_size: number; source: "default" | "custom"; name: string; grams_per_unit: number }
>;

export function effectiveSkusView(skus: SkuDefinition[]): EffectiveSkusView {
  return Object.fromEntries(
    skus.map((s) => [
      s.key,
      { unit_size: s.unit_size, pack_size: s.pack_size, source: s.source, name: s.name, grams_per_unit: s.grams_per_unit },
    ]),
  );
}

/** Normalised definitions, or a 400 naming the key that clashes with a default or another custom SKU. */
export function validateCustomSkus(input: z.output<typeof customSkusMapInput>): Record<string, CustomSkuDef> {
  const out = dict<CustomSkuDef>();
  const seen = new Map<string, string>();
  for (const [rawKey, rawDef] of Object.entries(input)) {
    const key = rawKey.trim();
    const def = normaliseCustomSkuDef(key, rawDef);
    for (const name of [key, def.name]) {
      const clash = defaultSkuKeyFor(name);
      if (clash) {
        throw badRequest(`Custom SKU "${key}" clashes with the default SKU ${clash}`, { sku_key: key, default_sku: clash }, "sku_clash");
      }
      const form = skuAliasForm(name);
      const other = seen.get(form);
      if (other !== undefined && other !== key) {
        throw badRequest(`Custom SKUs "${other}" and "${key}" have the same name`, { sku_key: key, other_sku_key: other }, "sku_clash");
      }
      seen.set(form, key);
    }
    out[key] = def;
  }
  return out;
}

async function packageHolds(tx: Pick<Tx, "wholesaleHold">, metrc: string) {
  return tx.wholesaleHold.findMany({ where: { metrc_number: metrc }, select: { id: true, sku_name: true, quantity: true } });
}

/**
 * Writes the new custom SKU set: 409 if a removed, renamed or re-weighed SKU has holds; prunes the removed SKUs' Apex
 * settings and stored units; history, audit and `finished_good.apex_updated`.
 */
async function writeCustomSkus(
  m: Mutation,
  before: FinishedGood,
  next: Record<string, CustomSkuDef>,
  changeDetails: Record<string, unknown>,
  reason: string | null,
  settingsPatch?: z.output<typeof settingsMapInput> | null,
): Promise<FinishedGood> {
  const oldSkus = effectiveSkus(before.custom_skus);
  const newSkus = effectiveSkus(next);
  // Holds store the SKU's display name and weigh its grams per unit: removing a held SKU, renaming
  // it or changing its weight would leave the holds unresolved or re-weighed (availability
  // overstated), so those changes wait until the holds are released.
  const reshaped = oldSkus.filter((s) => {
    if (s.source !== "custom") return false;
    const now = newSkus.find((n) => n.key === s.key);
    return !now || now.name !== s.name || now.grams_per_unit !== s.grams_per_unit;
  });
  if (reshaped.length) {
    const holds = await packageHolds(m.tx, before.metrc_number);
    const busy = reshaped
      .map((s) => ({ sku: s, holds: holds.filter((h) => resolveSku(h.sku_name, oldSkus)?.key === s.key) }))
      .filter((b) => b.holds.length > 0);
    if (busy.length) {
      const names = busy.map((b) => `"${b.sku.key}"`).join(", ");
      const verb = busy.some((b) => newSkus.some((n) => n.key === b.sku.key)) ? "changed" : "removed";
      throw conflict(
        `Custom SKU ${names} has units held for wholesale (${busy
          .flatMap((b) => b.holds.map((h) => `hold ${h.id}: ${h.quantity} × ${h.sku_name}`))
          .join("; ")}); release the holds before it can be ${verb}`,
        {
          held: Object.fromEntries(busy.map((b) => [b.sku.key, b.holds.reduce((n, h) => n + h.quantity, 0)])),
          holds: busy.flatMap((b) => b.holds.map((h) => ({ hold_id: h.id, sku_name: h.sku_name, quantity: h.quantity }))),
        },
        "sku_has_holds",
      );
    }
  }
  const oldSettings = parseApexSettings(before.apex_sku_settings, oldSkus);
  let newSettings = Object.fromEntries(Object.entries(oldSettings).filter(([k]) => newSkus.some((s) => s.key === k)));
  if (settingsPatch) newSettings = mergeSettings(newSettings, settingsPatch, newSkus);
  const oldUnits = parseApexUnits(before.apex_units, oldSkus);
  const newUnits = Object.fromEntries(Object.entries(oldUnits).filter(([k]) => newSkus.some((s) => s.key === k)));

  const custom = Object.keys(next).length ? next : null;
  const fg = await m.tx.finishedGood.update({
    where: { metrc_number: before.metrc_number },
    data: {
      custom_skus: jsonOrNull(custom),
      apex_sku_settings: jsonOrNull(Object.keys(newSettings).length ? newSettings : null),
      apex_units: jsonOrNull(Object.keys(newUnits).length ? newUnits : null),
      updated_date: m.now,
    },
  });
  const changed = ["custom_skus"];
  if (JSON.stringify(oldSettings) !== JSON.stringify(newSettings)) changed.push("apex_sku_settings");
  if (JSON.stringify(oldUnits) !== JSON.stringify(newUnits)) changed.push("apex_units");
  await writeHistory(m, fg, "custom_skus", { reason, details: { ...changeDetails, custom_skus: custom } });
  await m.audit({
    entity: "finished_good",
    entityId: fg.metrc_number,
    label: fg.strain,
    before: {
      custom_skus: before.custom_skus ?? null,
      apex_sku_settings: Object.keys(oldSettings).length ? oldSettings : null,
      apex_units: Object.keys(oldUnits).length ? oldUnits : null,
    },
    after: {
      custom_skus: custom,
      apex_sku_settings: Object.keys(newSettings).length ? newSettings : null,
      apex_units: Object.keys(newUnits).length ? newUnits : null,
    },
  });
  await m.emit("finished_good.apex_updated", { metrc_number: fg.metrc_number, strain: fg.strain, changed });
  return fg;
}

function view(fg: FinishedGood) {
  const custom = parseCustomSkus(fg.custom_skus);
  return {
    success: true as const,
    metrc_number: fg.metrc_number,
    custom_skus: Object.keys(custom).length ? custom : null,
    effective_skus: effectiveSkusView(effectiveSkus(fg.custom_skus)),
  };
}

export async function getCustomSkus(tx: Pick<Tx, "finishedGood">, metrc: string) {
  return view(await loadFinishedGood(tx, metrc));
}

export async function replaceCustomSkus(ctx: ActorContext, metrc: string, input: ReplaceCustomSkusInput) {
  if (input.custom_skus === undefined) throw requiredError("custom_skus field is required", ["custom_skus"]);
  const next = input.custom_skus === null ? {} : validateCustomSkus(input.custom_skus);
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const fg = await writeCustomSkus(m, before, next, { action: input.custom_skus === null ? "clear" : "replace" }, input.reason ?? null);
    return view(fg);
  });
}

export async function upsertCustomSku(ctx: ActorContext, metrc: string, input: UpsertCustomSkuInput) {
  if (input.sku_key === undefined || input.sku_def === undefined)
    throw requiredError("sku_key and sku_def are required", ["sku_key", "sku_def"]);
  const key = input.sku_key;
  const rawDef = input.sku_def;
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const current = parseCustomSkus(before.custom_skus);
    const next = validateCustomSkus(dict<z.output<typeof customSkuDefInput>>([...Object.entries(current), [key, rawDef]]));
    const fg = await writeCustomSkus(
      m,
      before,
      next,
      { action: Object.hasOwn(current, key) ? "update" : "add", sku_key: key },
      input.reason ?? null,
      input.current_settings,
    );
    return { ...view(fg), sku_key: key, sku_def: own(next, key) };
  });
}

export async function deleteCustomSku(ctx: ActorContext, metrc: string, skuKeyParam: string) {
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const current = parseCustomSkus(before.custom_skus);
    const key =
      Object.keys(current).find((k) => k === skuKeyParam) ??
      Object.keys(current).find((k) => skuAliasForm(k) === skuAliasForm(skuKeyParam));
    if (key === undefined) throw notFound("Custom SKU not found", "custom_sku_not_found");
    const next = dict(current);
    delete next[key];
    const fg = await writeCustomSkus(m, before, next, { action: "delete", sku_key: key }, null);
    return { ...view(fg), deleted_sku: key };
  });
}
