import { describe, expect, it } from "vitest";
import {
  availableGrams,
  calculatePackage,
  calculateUnits,
  defaultSkuDefinitions,
  effectiveSkus,
  formatUnitSize,
  heldGrams,
  heldUnitsBySku,
  parseApexSettings,
  parseApexUnits,
  parseCustomSkus,
  parseUnitSize,
  resolveSku,
  skuAliasForm,
  unitsFrom,
  wholesaleSkus,
} from "@/lib/domain/finished-goods/sku-engine";

const pkg = (
  overrides: Partial<{
    current_grams: number;
    physical_grams_override: number | null;
    grams_ordered: number;
    grams_packed: number;
    custom_skus: unknown;
    apex_sku_settings: unknown;
  }> = {},
) => ({
  current_grams: 500,
  physical_grams_override: null,
  grams_ordered: 0,
  grams_packed: 0,
  custom_skus: null,
  apex_sku_settings: null,
  ...overrides,
});

const unitsOf = (calc: ReturnType<typeof calculatePackage>) =>
  Object.fromEntries(Object.entries(calc.calculated_units).map(([k, v]) => [k, v.units]));

describe("SKU engine: the contract's worked numbers", () => {
  it("500 g → 1000 × 0.5 g, 500 × 1.0 g, 166 six-packs, 83 twelve-packs (one shared pool)", () => {
    const calc = calculatePackage(pkg(), []);
    expect(calc.available_grams).toBe(500);
    expect(unitsOf(calc)).toEqual({ singles_0_5g: 1000, singles_1g: 500, magnetic_box_6pk: 166, magnetic_box_12pk: 83 });
    expect(calc.calculated_units.magnetic_box_6pk).toMatchObject({ units: 166, grams_used: 498, excluded: false });
    expect(calc.calculated_units.singles_0_5g.grams_used).toBe(500);
    // Each figure is an alternative use of the same 500 g: the listing can draw 500 g at most.
    expect(calc.total_grams_allocated).toBe(500);
    expect(calc.remaining_grams).toBe(0);
  });

  it("available = (override ?? current) − ordered − packed − held grams, never below 0", () => {
    const skus = effectiveSkus(null);
    expect(availableGrams(pkg({ current_grams: 1000, grams_ordered: 200, grams_packed: 100 }), [], skus)).toBe(700);
    expect(availableGrams(pkg({ current_grams: 1000, physical_grams_override: 800, grams_ordered: 200 }), [], skus)).toBe(600);
    // 10 six-packs held = 30 g; 5 singles of 1 g = 5 g
    const holds = [
      { sku_name: "6-Pack Magnetic Box", quantity: 10 },
      { sku_name: "singles_1g", quantity: 5 },
    ];
    expect(heldGrams(holds, skus)).toBe(35);
    expect(availableGrams(pkg({ current_grams: 1000, grams_ordered: 200 }), holds, skus)).toBe(765);
    expect(availableGrams(pkg({ current_grams: 100, grams_ordered: 90, grams_packed: 20 }), [], skus)).toBe(0);
    expect(availableGrams(pkg({ current_grams: 10 }), [{ sku_name: "singles_1g", quantity: 50 }], skus)).toBe(0);
  });

  it("holds come out of the shared pool for every computed SKU", () => {
    const calc = calculatePackage(pkg(), [{ sku_name: "magnetic_box_6pk", quantity: 10 }]);
    expect(calc.available_grams).toBe(470);
    expect(calc.held_grams).toBe(30);
    expect(unitsOf(calc)).toEqual({ singles_0_5g: 940, singles_1g: 470, magnetic_box_6pk: 156, magnetic_box_12pk: 78 });
    expect(calc.calculated_units.magnetic_box_6pk.held_units).toBe(10);
  });
});

describe("SKU engine: exclusions and manual units", () => {
  it("an excluded SKU counts 0 and does not count towards the allocation", () => {
    const calc = calculatePackage(
      pkg({ apex_sku_settings: { singles_0_5g: { excluded: true }, singles_1g: { excluded: true, manual_units: null } } }),
      [],
    );
    expect(calc.calculated_units.singles_0_5g).toMatchObject({ units: 0, grams_used: 0, excluded: true });
    expect(calc.calculated_units.singles_1g.units).toBe(0);
    expect(calc.total_grams_allocated).toBe(498);
    expect(calc.remaining_grams).toBe(2);
  });

  it("all excluded: nothing allocated, everything remains", () => {
    const settings = Object.fromEntries(defaultSkuDefinitions.map((s) => [s.key, { excluded: true, manual_units: 5 }]));
    const calc = calculatePackage(pkg(), [], {});
    const excluded = calculateUnits({
      skus: calc.skus,
      available_grams: 500,
      settings: parseApexSettings(settings, calc.skus),
      held_units: {},
    });
    expect(Object.values(excluded.calculated_units).every((u) => u.units === 0 && u.excluded)).toBe(true);
    expect(excluded.total_grams_allocated).toBe(0);
    expect(excluded.remaining_grams).toBe(500);
  });

  it("manual_units replace the figure, minus the units of that SKU held", () => {
    const calc = calculatePackage(pkg({ apex_sku_settings: { magnetic_box_6pk: { excluded: false, manual_units: 40 } } }), [
      { sku_name: "6-Pack Magnetic Box", quantity: 15 },
    ]);
    expect(calc.calculated_units.magnetic_box_6pk).toMatchObject({ units: 25, grams_used: 75, manual_units: 40, held_units: 15 });
    // The computed SKUs still see the held grams leave the pool (500 − 45 = 455).
    expect(calc.calculated_units.singles_1g.units).toBe(455);
    const over = calculatePackage(pkg({ apex_sku_settings: { singles_1g: { manual_units: 3 } } }), [
      { sku_name: "1.0g Singles", quantity: 5 },
    ]);
    expect(over.calculated_units.singles_1g.units).toBe(0);
  });

  it("manual units beyond the pool are allowed (a person's count) and raise the allocation", () => {
    const calc = calculatePackage(pkg({ current_grams: 10, apex_sku_settings: { singles_1g: { manual_units: 50 } } }), []);
    expect(calc.calculated_units.singles_1g.units).toBe(50);
    expect(calc.total_grams_allocated).toBe(50);
    expect(calc.remaining_grams).toBe(0);
  });

  it("a package that cannot be sold (archived/orphaned) makes nothing, manual units included", () => {
    const calc = calculatePackage(pkg({ apex_sku_settings: { singles_1g: { manual_units: 50 } } }), [], { sellable: false });
    expect(calc.available_grams).toBe(0);
    expect(Object.values(calc.calculated_units).every((u) => u.units === 0)).toBe(true);
    expect(calc.total_grams_allocated).toBe(0);
  });

  it("floating-point division does not lose a unit", () => {
    expect(unitsFrom(0.3, 0.1)).toBe(3);
    expect(unitsFrom(2.9999, 3)).toBe(0);
    expect(unitsFrom(-1, 0.5)).toBe(0);
    expect(calculatePackage(pkg({ current_grams: 0.7 + 0.1 + 0.2 }), []).calculated_units.singles_0_5g.units).toBe(2);
  });
});

describe("SKU engine: custom SKUs", () => {
  it("storage form {name, grams_per_unit, pack_size} joins the set with its own grams per unit", () => {
    const custom = {
      cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 },
      cocoa_blunt_1g: { name: "Cocoa Blunt 1g", grams_per_unit: 1.0, pack_size: 1 },
    };
    const skus = effectiveSkus(custom);
    expect(skus.map((s) => [s.key, s.source])).toEqual([
      ["singles_0_5g", "default"],
      ["singles_1g", "default"],
      ["magnetic_box_6pk", "default"],
      ["magnetic_box_12pk", "default"],
      ["cannadart_0_8g", "custom"],
      ["cocoa_blunt_1g", "custom"],
    ]);
    const calc = calculatePackage(pkg({ custom_skus: custom }), []);
    expect(calc.calculated_units.cannadart_0_8g).toMatchObject({ units: 625, grams_used: 500, source: "custom" });
    expect(calc.calculated_units.cocoa_blunt_1g.units).toBe(500);
  });

  it("API2 form {unit_size, pack_size, display_name} is normalised: grams per unit = unit size × pack", () => {
    const parsed = parseCustomSkus({
      "0.8g Premium": { unit_size: "0.8g", pack_size: 1, display_name: "0.8g Premium" },
      mom_6pk: { unit_size: "0.8g", pack_size: 6 },
    });
    expect(parsed["0.8g Premium"]).toEqual({ name: "0.8g Premium", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" });
    expect(parsed.mom_6pk).toEqual({ name: "mom_6pk", grams_per_unit: 4.8, pack_size: 6, unit_size: "0.8g" });
    expect(
      calculatePackage(pkg({ custom_skus: { mom_6pk: { unit_size: "0.8g", pack_size: 6 } } }), []).calculated_units.mom_6pk.units,
    ).toBe(104);
  });

  it("storage-form packs get a per-pre-roll unit size; malformed or default-named entries are skipped", () => {
    const parsed = parseCustomSkus({
      dart_3pk: { name: "Dart 3-pack", grams_per_unit: 1.5, pack_size: 3 },
      broken: { name: "no grams" },
      singles_0_5g: { name: "shadow", grams_per_unit: 9 },
      box_0_5g_6pk: { grams_per_unit: 9 },
      "": { grams_per_unit: 1 },
    });
    expect(Object.keys(parsed)).toEqual(["dart_3pk"]);
    expect(parsed.dart_3pk.unit_size).toBe("0.5g");
    expect(parseCustomSkus(null)).toEqual({});
    expect(parseCustomSkus([1, 2])).toEqual({});
  });

  it("holds of a custom SKU weigh its grams per unit", () => {
    const custom = { cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 } };
    const calc = calculatePackage(pkg({ custom_skus: custom }), [{ sku_name: "CannaDart 0.8g", quantity: 100 }]);
    expect(calc.held_grams).toBe(80);
    expect(calc.available_grams).toBe(420);
  });

  it("unit sizes parse and print the contract's way", () => {
    expect(parseUnitSize("0.8g")).toBe(0.8);
    expect(parseUnitSize("1 g")).toBe(1);
    expect(parseUnitSize(".5")).toBe(0.5);
    expect(parseUnitSize(0.7)).toBe(0.7);
    expect(parseUnitSize("6pack")).toBeNull();
    expect(parseUnitSize("-1g")).toBeNull();
    expect(parseUnitSize(0)).toBeNull();
    expect(formatUnitSize(1)).toBe("1.0g");
    expect(formatUnitSize(0.5)).toBe("0.5g");
    expect(formatUnitSize(0.75)).toBe("0.75g");
  });
});

describe("SKU engine: three vocabularies, one canonical key", () => {
  const skus = effectiveSkus({
    cocoa_blunt_1g: { name: "Cocoa Blunt 1g", grams_per_unit: 1, pack_size: 1 },
    "0.8g Premium": { unit_size: "0.8g", pack_size: 1 },
  });
  it.each([
    ["singles_0_5g", "singles_0_5g"], // A
    ["0.5g Singles", "singles_0_5g"], // B
    ["0.5g singles", "singles_0_5g"],
    ["0.5g_singles", "singles_0_5g"], // calculator key
    ["singles_1g", "singles_1g"],
    ["singles_1_0g", "singles_1g"], // C
    ["1.0g Singles", "singles_1g"],
    ["magnetic_box_6pk", "magnetic_box_6pk"],
    ["box_0_5g_6pk", "magnetic_box_6pk"], // C
    ["6-Pack Magnetic Box", "magnetic_box_6pk"], // B
    ["box_0_5g_12pk", "magnetic_box_12pk"],
    ["12-Pack Magnetic Box", "magnetic_box_12pk"],
    ["custom_cocoa_blunt_1_0g", "cocoa_blunt_1g"], // C custom
    ["Cocoa Blunt 1g", "cocoa_blunt_1g"],
    ["cocoa_blunt_1g", "cocoa_blunt_1g"],
    ["0.8g premium", "0.8g Premium"],
  ])("%s → %s", (name, key) => {
    expect(resolveSku(name, skus)?.key).toBe(key);
  });

  it("unknown names resolve to nothing", () => {
    expect(resolveSku("2g Singles", skus)).toBeNull();
    expect(resolveSku("", skus)).toBeNull();
    expect(skuAliasForm("  1.0g   Singles ")).toBe("1g_singles");
  });

  it("stored settings, units and holds in any vocabulary land on the canonical keys", () => {
    expect(
      parseApexSettings(
        { "0.5g Singles": { excluded: true }, box_0_5g_6pk: { manual_units: 4 }, nonsense: { excluded: true }, singles_1g: "bad" },
        skus,
      ),
    ).toEqual({
      singles_0_5g: { excluded: true, manual_units: null },
      magnetic_box_6pk: { excluded: false, manual_units: 4 },
    });
    expect(parseApexUnits({ singles_1_0g: 7, "12-Pack Magnetic Box": 2, x: 1, singles_0_5g: -3 }, skus)).toEqual({
      singles_1g: 7,
      magnetic_box_12pk: 2,
    });
    const held = heldUnitsBySku(
      [
        { sku_name: "0.5g Singles", quantity: 3 },
        { sku_name: "singles_0_5g", quantity: 2 },
        { sku_name: "gone", quantity: 1 },
      ],
      skus,
    );
    expect(held.units).toEqual({ singles_0_5g: 5 });
    expect(held.unmatched).toEqual([{ sku_name: "gone", quantity: 1 }]);
  });
});

describe("SKU engine: wholesale figures", () => {
  it("units before holds, available after every hold, held per SKU, keyed by display name", () => {
    const skus = effectiveSkus(null);
    const figures = wholesaleSkus(pkg(), [{ sku_name: "6-Pack Magnetic Box", quantity: 10 }], skus);
    expect(figures["6-Pack Magnetic Box"]).toEqual({ units: 166, available: 156, held: 10 });
    expect(figures["0.5g Singles"]).toEqual({ units: 1000, available: 940, held: 0 });
    expect(Object.keys(figures)).toEqual(["0.5g Singles", "1.0g Singles", "6-Pack Magnetic Box", "12-Pack Magnetic Box"]);
  });
});
