import { z } from "zod";
import { defaultSkus, roundGrams, type DefaultSkuKey } from "@/lib/domain/finished-goods/constants";
import { dict, own } from "@/lib/safe-keys";

/**
 * The SKU engine: which SKUs a package sells, how many grams are available, and how many units of
 * each SKU those grams make. Pure (no database): the Apex routes, wholesale and the finished-goods
 * pages all call it with a package's row and its holds.
 *
 * Definitions (API-CONTRACT.md "Finished goods", EXISTING-SYSTEM §1.4 and §5):
 *
 * - **SKU set** = the four defaults (`singles_0_5g` 0.5 g, `singles_1g` 1.0 g, `magnetic_box_6pk`
 *   3.0 g, `magnetic_box_12pk` 6.0 g) + the package's `custom_skus`.
 * - **grams_per_unit** is the weight of one *sellable* unit, as in the defaults (a 6-pack of 0.5 g
 *   weighs 3.0 g). Custom SKUs are stored `{name, grams_per_unit, pack_size, unit_size}` keyed by
 *   `sku_key`; the API2 form `{unit_size:"0.8g", pack_size, display_name}` is accepted too and
 *   normalised with grams_per_unit = unit_size × pack_size.
 * - **Available grams** = (physical_grams_override ?? current_grams) − grams_ordered − grams_packed
 *   − held grams, never below 0 (the DS2 formula; CB's variant that also subtracted fulfilled grams
 *   is not used: fulfilled grams already left current_grams). Held grams = Σ hold quantity × the
 *   held SKU's grams_per_unit.
 * - **Units per SKU** = floor(available ÷ grams_per_unit). All SKUs draw from ONE shared gram pool
 *   (the legacy behaviour): each SKU's figure is what the whole pool makes if sold as that SKU
 *   alone, so the figures are alternatives, not a split — selling any one lowers the others.
 *   An excluded SKU counts 0. A `manual_units` value replaces the figure, minus the units of that
 *   SKU held for wholesale (held grams are already out of the pool for the computed figures).
 * - **grams_used** of a SKU = its units × grams_per_unit: the grams its listed quantity represents.
 * - **total_grams_allocated** = the largest grams_used among the non-excluded SKUs: because the
 *   figures share one pool, that is the most the listing as a whole can draw (summing them would
 *   count the same grams several times).
 * - **remaining_grams** = available − total_grams_allocated, never below 0: grams no listed SKU can
 *   take (the rounding remainder, or everything when every SKU is excluded).
 *
 * SKU names arrive in three vocabularies (§1.4): A `singles_0_5g` (storage), B "0.5g Singles"
 * (display names, wholesale), C `singles_1_0g`, `box_0_5g_6pk`, `box_0_5g_12pk`,
 * `custom_cocoa_blunt_1_0g` (ApexAPI's mapping). `resolveSku` maps any of them to one canonical key:
 * vocabulary A for the defaults, the stored key for custom SKUs.
 *
 * Custom SKU keys and names are chosen by people ("constructor" is a valid key), so every map keyed
 * by them that this file returns is a null-prototype object (`dict`), and maps received are read
 * with `own`: a SKU without an entry reads as absent, never as an Object.prototype member.
 */

export type SkuSource = "default" | "custom";

export interface SkuDefinition {
  /** Canonical key: vocabulary A for defaults, the stored `sku_key` for custom SKUs. */
  key: string;
  /** Display name (vocabulary B), e.g. "0.5g Singles". */
  name: string;
  /** Grams of one sellable unit (a pack counts as one unit). */
  grams_per_unit: number;
  /** Grams of one pre-roll in the unit, as text: "0.5g". */
  unit_size: string;
  pack_size: number;
  source: SkuSource;
}

/** A custom SKU as stored in `custom_skus[sku_key]`. */
export interface CustomSkuDef {
  name: string;
  grams_per_unit: number;
  pack_size: number;
  unit_size: string;
}

export interface ApexSkuSetting {
  excluded: boolean;
  manual_units: number | null;
}

export interface PackageGrams {
  current_grams: number;
  physical_grams_override: number | null;
  grams_ordered: number;
  grams_packed: number;
}

export interface HoldLike {
  sku_name: string;
  quantity: number;
}

export interface CalculatedSku {
  units: number;
  grams_used: number;
  excluded: boolean;
  /** Additions beside the contract's three fields. */
  name: string;
  grams_per_unit: number;
  manual_units: number | null;
  held_units: number;
  source: SkuSource;
}

export interface ApexCalculation {
  available_grams: number;
  calculated_units: Record<string, CalculatedSku>;
  total_grams_allocated: number;
  remaining_grams: number;
}

/** Floating-point grace for divisions (0.3 ÷ 0.1 must make 3, not 2). */
const EPSILON = 1e-9;

// ───────────────────────────── unit sizes ─────────────────────────────

/** "0.8g", "0.8 g", "0.8", 0.8, "1g" → 0.8 / 1; anything else → null. */
export function parseUnitSize(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== "string") return null;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:g|grams?)?\s*$/i.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/** 0.5 → "0.5g", 1 → "1.0g", 0.75 → "0.75g" (the contract's unit_size spelling). */
export function formatUnitSize(grams: number): string {
  const rounded = roundGrams(grams);
  return `${Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded)}g`;
}

// ───────────────────────────── vocabularies ─────────────────────────────

/**
 * The comparison form of a SKU name: lower case, separators (space . - /) → "_", and "1_0g" → "1g"
 * so that `singles_1_0g` (C), "1.0g Singles" (B) and `singles_1g` (A) meet.
 */
export function skuAliasForm(name: string): string {
  return name
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .replace(/(^|_)(\d+)_0g(?=_|$)/g, "$1$2g");
}

/** Extra spellings of the defaults beyond their key and display name (vocabulary C, calculator keys). */
const DEFAULT_ALIASES: Record<DefaultSkuKey, string[]> = {
  singles_0_5g: ["0.5g_singles", "0.5g single", "singles_0.5g", "single_0_5g"],
  singles_1g: ["singles_1_0g", "1.0g_singles", "1g Singles", "1g single", "singles_1.0g", "single_1g"],
  magnetic_box_6pk: ["box_0_5g_6pk", "0.5g_6pack", "6pack", "6pk", "6-Pack", "magnetic_box_6_pack", "0.5g 6-Pack Magnetic Box"],
  magnetic_box_12pk: ["box_0_5g_12pk", "0.5g_12pack", "12pack", "12pk", "12-Pack", "magnetic_box_12_pack", "0.5g 12-Pack Magnetic Box"],
};

export const defaultSkuKeys = Object.keys(defaultSkus) as DefaultSkuKey[];

const defaultAliasIndex: Map<string, DefaultSkuKey> = (() => {
  const index = new Map<string, DefaultSkuKey>();
  for (const key of defaultSkuKeys) {
    for (const alias of [key, defaultSkus[key].name, ...DEFAULT_ALIASES[key]]) index.set(skuAliasForm(alias), key);
  }
  return index;
})();

/** The default SKU a name means in any vocabulary, or null. */
export function defaultSkuKeyFor(name: string): DefaultSkuKey | null {
  return defaultAliasIndex.get(skuAliasForm(name)) ?? null;
}

export const defaultSkuDefinitions: SkuDefinition[] = defaultSkuKeys.map((key) => ({
  key,
  name: defaultSkus[key].name,
  grams_per_unit: defaultSkus[key].grams_per_unit,
  unit_size: defaultSkus[key].unit_size,
  pack_size: defaultSkus[key].pack_size,
  source: "default",
}));

// ───────────────────────────── custom SKUs ─────────────────────────────

const positiveInt = z.number().int().min(1).max(1000);

/**
 * One custom SKU definition as a client sends it, normalised to the stored form. Either
 * `{name, grams_per_unit, pack_size?}` (storage form) or `{unit_size, pack_size?, display_name?}`
 * (API2 form; grams_per_unit = unit_size × pack_size). `key` names it when no name is given.
 */
export const customSkuDefInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    display_name: z.string().trim().min(1).max(200).optional(),
    grams_per_unit: z.number().gt(0).max(10_000).optional(),
    unit_size: z.union([z.string().max(20), z.number()]).optional(),
    pack_size: positiveInt.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.grams_per_unit === undefined && v.unit_size === undefined) {
      ctx.addIssue({ code: "custom", message: "grams_per_unit or unit_size is required", path: ["grams_per_unit"] });
    }
    if (v.grams_per_unit === undefined && v.unit_size !== undefined && parseUnitSize(v.unit_size) === null) {
      ctx.addIssue({ code: "custom", message: 'unit_size must look like "0.8g"', path: ["unit_size"] });
    }
  });
export type CustomSkuDefInput = z.output<typeof customSkuDefInput>;

/** Normalises a validated definition (see `customSkuDefInput`) to the stored form. */
export function normaliseCustomSkuDef(key: string, def: CustomSkuDefInput): CustomSkuDef {
  const packSize = def.pack_size ?? 1;
  const name = def.display_name ?? def.name ?? key;
  if (def.grams_per_unit !== undefined) {
    const perPreroll = def.unit_size !== undefined ? parseUnitSize(def.unit_size) : null;
    return {
      name,
      grams_per_unit: roundGrams(def.grams_per_unit),
      pack_size: packSize,
      unit_size: formatUnitSize(perPreroll ?? def.grams_per_unit / packSize),
    };
  }
  const perPreroll = parseUnitSize(def.unit_size)!;
  return { name, grams_per_unit: roundGrams(perPreroll * packSize), pack_size: packSize, unit_size: formatUnitSize(perPreroll) };
}

/**
 * Stored `custom_skus` (any shape the legacy data or a client left) → normalised definitions.
 * Entries that do not describe a SKU, or whose key means a default SKU, are skipped.
 */
export function parseCustomSkus(raw: unknown): Record<string, CustomSkuDef> {
  const out = dict<CustomSkuDef>();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!key.trim() || defaultSkuKeyFor(key)) continue;
    const parsed = customSkuDefInput.safeParse(value);
    if (parsed.success) out[key] = normaliseCustomSkuDef(key, parsed.data);
  }
  return out;
}

/** The package's SKU set: the four defaults, then its custom SKUs. */
export function effectiveSkus(customSkus: unknown): SkuDefinition[] {
  const custom = parseCustomSkus(customSkus);
  return [
    ...defaultSkuDefinitions,
    ...Object.entries(custom).map(([key, def]) => ({
      key,
      name: def.name,
      grams_per_unit: def.grams_per_unit,
      unit_size: def.unit_size,
      pack_size: def.pack_size,
      source: "custom" as const,
    })),
  ];
}

/**
 * The SKU a name means, in any vocabulary: a default's key, display name or alias; a custom SKU's
 * key or name, with or without ApexAPI's `custom_` prefix and with `1_0g` ≡ `1g`. Null if none.
 */
export function resolveSku(name: string, skus: SkuDefinition[]): SkuDefinition | null {
  const exact = skus.find((s) => s.key === name);
  if (exact) return exact;
  const defaultKey = defaultSkuKeyFor(name);
  if (defaultKey) return skus.find((s) => s.key === defaultKey) ?? null;
  const form = skuAliasForm(name);
  const forms = form.startsWith("custom_") ? [form, form.slice("custom_".length)] : [form];
  for (const s of skus) {
    if (s.source !== "custom") continue;
    if (forms.includes(skuAliasForm(s.key)) || forms.includes(skuAliasForm(s.name))) return s;
  }
  return null;
}

// ───────────────────────────── settings and stored units ─────────────────────────────

/**
 * Stored `apex_sku_settings` → `{canonical key: {excluded, manual_units}}` for the SKUs in the set.
 * Keys in any vocabulary are mapped; unknown keys and malformed values are dropped.
 */
export function parseApexSettings(raw: unknown, skus: SkuDefinition[]): Record<string, ApexSkuSetting> {
  const out = dict<ApexSkuSetting>();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return out;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const sku = resolveSku(name, skus);
    if (!sku || !value || typeof value !== "object") continue;
    const v = value as { excluded?: unknown; manual_units?: unknown };
    const manual =
      typeof v.manual_units === "number" && Number.isFinite(v.manual_units) && v.manual_units >= 0 ? Math.floor(v.manual_units) : null;
    out[sku.key] = { excluded: v.excluded === true || v.excluded === 1, manual_units: manual };
  }
  return out;
}

/** Stored `apex_units` → `{canonical key: count}` (non-negative integers only). */
export function parseApexUnits(raw: unknown, skus: SkuDefinition[]): Record<string, number> {
  const out = dict<number>();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return out;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const sku = resolveSku(name, skus);
    if (sku && typeof value === "number" && Number.isFinite(value) && value >= 0) out[sku.key] = Math.floor(value);
  }
  return out;
}

// ───────────────────────────── grams and units ─────────────────────────────

/** Effective grams: the physical override when set, else the book's current grams. */
export function effectiveGrams(fg: Pick<PackageGrams, "current_grams" | "physical_grams_override">): number {
  return fg.physical_grams_override ?? fg.current_grams;
}

/** The pool before holds: effective − ordered − packed, never below 0. */
export function gramsBeforeHolds(fg: PackageGrams): number {
  return Math.max(0, roundGrams(effectiveGrams(fg) - fg.grams_ordered - fg.grams_packed));
}

/** Units held per canonical SKU key; holds naming no SKU of the set are listed apart. */
export function heldUnitsBySku(holds: HoldLike[], skus: SkuDefinition[]): { units: Record<string, number>; unmatched: HoldLike[] } {
  const units = dict<number>();
  const unmatched: HoldLike[] = [];
  for (const hold of holds) {
    const sku = resolveSku(hold.sku_name, skus);
    if (!sku) unmatched.push(hold);
    else units[sku.key] = (own(units, sku.key) ?? 0) + hold.quantity;
  }
  return { units, unmatched };
}

/** Σ hold quantity × the held SKU's grams per unit (holds of unknown SKUs weigh nothing). */
export function heldGrams(holds: HoldLike[], skus: SkuDefinition[]): number {
  const { units } = heldUnitsBySku(holds, skus);
  let grams = 0;
  for (const sku of skus) grams += (own(units, sku.key) ?? 0) * sku.grams_per_unit;
  return roundGrams(grams);
}

/** Available grams = (override ?? current) − ordered − packed − held grams, never below 0. */
export function availableGrams(fg: PackageGrams, holds: HoldLike[], skus: SkuDefinition[]): number {
  return Math.max(0, roundGrams(gramsBeforeHolds(fg) - heldGrams(holds, skus)));
}

/** Whole units of `gramsPerUnit` that `grams` make. */
export function unitsFrom(grams: number, gramsPerUnit: number): number {
  if (gramsPerUnit <= 0 || grams <= 0) return 0;
  return Math.floor(grams / gramsPerUnit + EPSILON);
}

export interface CalculateInput {
  skus: SkuDefinition[];
  /** The pool after holds (`availableGrams`). */
  available_grams: number;
  settings: Record<string, ApexSkuSetting>;
  held_units: Record<string, number>;
}

/** Units per SKU from one shared pool, with exclusions and manual overrides (see the file header). */
export function calculateUnits(input: CalculateInput): ApexCalculation {
  const available = Math.max(0, roundGrams(input.available_grams));
  const calculated = dict<CalculatedSku>();
  let allocated = 0;
  for (const sku of input.skus) {
    const setting = own(input.settings, sku.key) ?? { excluded: false, manual_units: null };
    const held = own(input.held_units, sku.key) ?? 0;
    let units = 0;
    if (!setting.excluded) {
      units = setting.manual_units !== null ? Math.max(0, setting.manual_units - held) : unitsFrom(available, sku.grams_per_unit);
    }
    const gramsUsed = roundGrams(units * sku.grams_per_unit);
    if (!setting.excluded) allocated = Math.max(allocated, gramsUsed);
    calculated[sku.key] = {
      units,
      grams_used: gramsUsed,
      excluded: setting.excluded,
      name: sku.name,
      grams_per_unit: sku.grams_per_unit,
      manual_units: setting.manual_units,
      held_units: held,
      source: sku.source,
    };
  }
  return {
    available_grams: available,
    calculated_units: calculated,
    total_grams_allocated: roundGrams(allocated),
    remaining_grams: Math.max(0, roundGrams(available - allocated)),
  };
}

/** The whole Apex calculation for one package row and its holds. */
export function calculatePackage(
  fg: PackageGrams & { custom_skus: unknown; apex_sku_settings: unknown },
  holds: HoldLike[],
  options: { sellable?: boolean } = {},
): ApexCalculation & { skus: SkuDefinition[]; held_grams: number; effective_grams: number } {
  const skus = effectiveSkus(fg.custom_skus);
  const held = heldGrams(holds, skus);
  const available = options.sellable === false ? 0 : availableGrams(fg, holds, skus);
  const result = calculateUnits({
    skus,
    available_grams: available,
    settings: parseApexSettings(fg.apex_sku_settings, skus),
    held_units: heldUnitsBySku(holds, skus).units,
  });
  if (options.sellable === false) {
    for (const entry of Object.values(result.calculated_units)) {
      entry.units = 0;
      entry.grams_used = 0;
    }
    result.total_grams_allocated = 0;
  }
  return { ...result, skus, held_grams: held, effective_grams: effectiveGrams(fg) };
}

// ───────────────────────────── wholesale ─────────────────────────────

export interface WholesaleSku {
  /** Units the package's grams make before any hold (effective − ordered − packed). */
  units: number;
  /** Units still free: what the pool makes after every hold (of any SKU) is taken out. */
  available: number;
  /** Units of this SKU held. */
  held: number;
}

/**
 * Per-SKU wholesale figures of one package, keyed by display name. Wholesale reserves physical
 * stock, so Apex listing settings (exclusions, manual units) do not apply here. Because the pool is
 * shared, for the held SKU itself `available` = `units` − `held`, and holds of other SKUs lower it
 * by the grams they take.
 */
export function wholesaleSkus(fg: PackageGrams, holds: HoldLike[], skus: SkuDefinition[]): Record<string, WholesaleSku> {
  const before = gramsBeforeHolds(fg);
  const after = Math.max(0, roundGrams(before - heldGrams(holds, skus)));
  const { units: held } = heldUnitsBySku(holds, skus);
  const out = dict<WholesaleSku>();
  for (const sku of skus) {
    out[sku.name] = {
      units: unitsFrom(before, sku.grams_per_unit),
      available: unitsFrom(after, sku.grams_per_unit),
      held: own(held, sku.key) ?? 0,
    };
  }
  return out;
}
