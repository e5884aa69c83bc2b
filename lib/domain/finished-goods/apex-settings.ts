import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { effectiveSkus, parseApexSettings, type ApexSkuSetting, type SkuDefinition } from "@/lib/domain/finished-goods/sku-engine";
import { jsonOrNull, looseBool, optionalReason, requireSku, requiredError } from "@/lib/domain/finished-goods/apex-fields";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import type { Mutation } from "@/lib/db/mutate";
import { dict, own } from "@/lib/safe-keys";

/**
 * `POST …/{metrc}/apex-settings` `{settings:{sku:{excluded, manual_units}}, auto_calculate}`:
 * per-SKU Apex listing settings. SKU names in any vocabulary are stored under their canonical key.
 * Field by field: a field sent replaces the stored one (`manual_units: null` clears it), a field
 * or SKU not sent keeps its value; an entry back at the defaults (not excluded, no manual units)
 * is dropped. `auto_calculate` is the package's Apex
 * auto inventory flag (the same switch as apex-auto: "Apex ON enables auto-calc"). 400 "settings
 * is required". Answers `settings` for every SKU of the package.
 */
export const skuSettingInput = z.object({
  excluded: looseBool.optional(),
  manual_units: z.number().int().min(0).max(100_000_000).nullable().optional(),
});
export const settingsMapInput = z.record(z.string().min(1).max(200), skuSettingInput);

export const apexSettingsSchema = z.object({
  settings: settingsMapInput.nullable().optional(),
  auto_calculate: looseBool.optional(),
  reason: optionalReason,
});
export type ApexSettingsInput = z.output<typeof apexSettingsSchema>;

/** Every SKU of the package with its setting (defaults filled in). */
export function fullSettings(skus: SkuDefinition[], stored: Record<string, ApexSkuSetting>): Record<string, ApexSkuSetting> {
  return dict(skus.map((s) => [s.key, own(stored, s.key) ?? { excluded: false, manual_units: null }] as const));
}

/** `stored` with the given entries applied (any vocabulary → canonical); 400 on an unknown SKU. */
export function mergeSettings(
  stored: Record<string, ApexSkuSetting>,
  patch: z.output<typeof settingsMapInput>,
  skus: SkuDefinition[],
): Record<string, ApexSkuSetting> {
  const next = dict(stored);
  for (const [name, value] of Object.entries(patch)) {
    const sku = requireSku(name, skus);
    const prev = own(next, sku.key);
    const entry = {
      excluded: value.excluded ?? prev?.excluded ?? false,
      manual_units: value.manual_units !== undefined ? value.manual_units : (prev?.manual_units ?? null),
    };
    if (!entry.excluded && entry.manual_units === null) delete next[sku.key];
    else next[sku.key] = entry;
  }
  return next;
}

/** Writes `apex_sku_settings` (and optionally the auto flag) with audit; no event, no history. */
export async function writeApexSettings(
  m: Mutation,
  before: FinishedGood,
  next: Record<string, ApexSkuSetting>,
  autoCalculate?: boolean,
): Promise<{ fg: FinishedGood; changed: string[] }> {
  const previous = parseApexSettings(before.apex_sku_settings, effectiveSkus(before.custom_skus));
  const stored = Object.keys(next).length ? next : null;
  const fg = await m.tx.finishedGood.update({
    where: { metrc_number: before.metrc_number },
    data: {
      apex_sku_settings: jsonOrNull(stored),
      ...(autoCalculate !== undefined ? { apex_auto_inventory: autoCalculate } : {}),
      updated_date: m.now,
    },
  });
  const auditBefore: Record<string, unknown> = { apex_sku_settings: Object.keys(previous).length ? previous : null };
  const auditAfter: Record<string, unknown> = { apex_sku_settings: stored };
  if (autoCalculate !== undefined) {
    auditBefore.apex_auto_inventory = before.apex_auto_inventory;
    auditAfter.apex_auto_inventory = autoCalculate;
  }
  await m.audit({ entity: "finished_good", entityId: fg.metrc_number, label: fg.strain, before: auditBefore, after: auditAfter });
  const changed: string[] = [];
  if (JSON.stringify(previous) !== JSON.stringify(next)) changed.push("apex_sku_settings");
  if (autoCalculate !== undefined && autoCalculate !== before.apex_auto_inventory) changed.push("apex_auto_inventory");
  return { fg, changed };
}

export async function updateApexSettings(ctx: ActorContext, metrc: string, input: ApexSettingsInput) {
  if (input.settings === undefined || input.settings === null) throw requiredError("settings is required", ["settings"]);
  const patch = input.settings;
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const skus = effectiveSkus(before.custom_skus);
    const next = mergeSettings(parseApexSettings(before.apex_sku_settings, skus), patch, skus);
    const { fg, changed } = await writeApexSettings(m, before, next, input.auto_calculate);
    await writeHistory(m, fg, "sku_settings", {
      reason: input.reason ?? null,
      details: { settings: next, ...(input.auto_calculate !== undefined ? { auto_calculate: input.auto_calculate } : {}) },
    });
    await m.emit("finished_good.apex_updated", { metrc_number: fg.metrc_number, strain: fg.strain, changed });
    return {
      success: true as const,
      metrc_number: fg.metrc_number,
      settings: fullSettings(skus, next),
      auto_calculate: fg.apex_auto_inventory,
    };
  });
}

/** GET: the package's settings for every SKU (an addition to the contract, for the settings dialog). */
export async function readApexSettings(tx: Parameters<typeof loadFinishedGood>[0], metrc: string) {
  const fg = await loadFinishedGood(tx, metrc);
  const skus = effectiveSkus(fg.custom_skus);
  return {
    success: true as const,
    metrc_number: fg.metrc_number,
    settings: fullSettings(skus, parseApexSettings(fg.apex_sku_settings, skus)),
    auto_calculate: fg.apex_auto_inventory,
  };
}
