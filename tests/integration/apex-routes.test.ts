import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import * as apexAuto from "@/app/api/finished-goods/[metrc]/apex-auto/route";
import * as apexUnits from "@/app/api/finished-goods/[metrc]/apex-units/route";
import * as apexSettings from "@/app/api/finished-goods/[metrc]/apex-settings/route";
import * as apexCalculate from "@/app/api/finished-goods/[metrc]/apex-calculate/route";
import * as apexDecrement from "@/app/api/finished-goods/[metrc]/apex-decrement/route";
import { writeAsCommit } from "@/tests/helpers/direct-write";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

/** Packages go straight into the table: the create route belongs to another part of the app. */
async function newPackage(
  overrides: {
    grams?: number;
    strain?: string;
    status?: string;
    physical_grams_override?: number | null;
    grams_ordered?: number;
    grams_packed?: number;
    apex_auto_inventory?: boolean;
    apex_units?: object;
    apex_sku_settings?: object;
    custom_skus?: object;
  } = {},
) {
  const base = buildFinishedGood({ grams: overrides.grams ?? 500, strain: overrides.strain });
  const { grams: _grams, strain: _strain, ...rest } = overrides;
  void _grams;
  void _strain;
  return db.finishedGood.create({
    data: { metrc_number: base.metrc_number, strain: base.strain, initial_grams: base.grams, current_grams: base.grams, ...rest },
  });
}

type Handler = Parameters<typeof call>[0];
function post(handler: Handler, metrc: string, path: string, body: unknown, headers: Record<string, string> = p.headers.apiKey) {
  return call(handler, { method: "POST", path: `/api/finished-goods/${metrc}/${path}`, params: { metrc }, headers, body });
}
function calculate(metrc: string, headers: Record<string, string> = p.headers.apiKey) {
  return call(apexCalculate.GET, { path: `/api/finished-goods/${metrc}/apex-calculate`, params: { metrc }, headers });
}
async function eventsFor(type: string, metrc: string) {
  const rows = await db.event.findMany({ where: { type }, orderBy: { id: "asc" } });
  return rows.filter((e) => (e.payload as { metrc_number?: string }).metrc_number === metrc);
}

describe("GET …/apex-calculate", () => {
  it("answers the contract's shape with the worked numbers (500 g)", async () => {
    const fg = await newPackage();
    const res = await calculate(fg.metrc_number);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      metrc_number: fg.metrc_number,
      available_grams: 500,
      total_grams_allocated: 500,
      remaining_grams: 0,
      calculated_units: {
        singles_0_5g: { units: 1000, grams_used: 500, excluded: false },
        singles_1g: { units: 500, grams_used: 500, excluded: false },
        magnetic_box_6pk: { units: 166, grams_used: 498, excluded: false },
        magnetic_box_12pk: { units: 83, grams_used: 498, excluded: false },
      },
    });
  });

  it("subtracts orders, packed grams and wholesale holds, from the physical override when set", async () => {
    const fg = await newPackage({ grams: 1000, physical_grams_override: 900, grams_ordered: 200, grams_packed: 100 });
    await db.wholesaleHold.create({ data: { metrc_number: fg.metrc_number, sku_name: "6-Pack Magnetic Box", quantity: 10 } });
    const res = await calculate(fg.metrc_number, p.headers.viewer);
    expect(res.json.available_grams).toBe(570); // 900 − 200 − 100 − 30
    expect(res.json.calculated_units.singles_1g.units).toBe(570);
    expect(res.json.held_grams).toBe(30);
  });

  it("is read-only and memoised: repeated polls write nothing and agree", async () => {
    const fg = await newPackage();
    const before = await db.event.count();
    const history = await db.finishedGoodHistory.count();
    const a = await calculate(fg.metrc_number);
    const b = await calculate(fg.metrc_number.toLowerCase());
    expect(b.json).toEqual(a.json);
    expect(await db.event.count()).toBe(before);
    expect(await db.finishedGoodHistory.count()).toBe(history);
  });

  it("sees a change on the next poll (the memo follows the database version)", async () => {
    const fg = await newPackage();
    expect((await calculate(fg.metrc_number)).json.available_grams).toBe(500);
    await writeAsCommit(() => db.finishedGood.update({ where: { metrc_number: fg.metrc_number }, data: { current_grams: 100 } }));
    expect((await calculate(fg.metrc_number)).json.calculated_units.singles_1g.units).toBe(100);
  });

  it("archived and orphaned packages list nothing", async () => {
    const fg = await newPackage({ status: "orphaned" });
    const res = await calculate(fg.metrc_number);
    expect(res.json.available_grams).toBe(0);
    expect(Object.values(res.json.calculated_units as Record<string, { units: number }>).every((u) => u.units === 0)).toBe(true);
  });

  it("404 Package not found", async () => {
    const res = await calculate("1A4000000000000000NOPE00");
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("Package not found");
  });
});

describe("POST …/apex-auto", () => {
  it("switches auto inventory with history, audit and an event", async () => {
    const fg = await newPackage();
    const res = await post(apexAuto.POST, fg.metrc_number, "apex-auto", { enabled: true });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, metrc_number: fg.metrc_number, apex_auto_inventory: true });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } })).apex_auto_inventory).toBe(true);
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: fg.metrc_number } });
    expect(history.map((h) => h.change_type)).toEqual(["apex_auto"]);
    expect(history[0].actor).toBe("api-key:ApexAPI");
    const audit = await db.auditLog.findMany({ where: { entity_id: fg.metrc_number, field: "apex_auto_inventory" } });
    expect(audit.map((a) => [a.old, a.new])).toEqual([["false", "true"]]);
    expect(await eventsFor("finished_good.apex_updated", fg.metrc_number)).toHaveLength(1);
    const off = await post(apexAuto.POST, fg.metrc_number, "apex-auto", { enabled: 0 }, p.headers.operator);
    expect(off.json.apex_auto_inventory).toBe(false);
  });

  it('400 "enabled is required"; 404 for an unknown package; viewers may not', async () => {
    const fg = await newPackage();
    const res = await post(apexAuto.POST, fg.metrc_number, "apex-auto", {});
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("enabled is required");
    expect((await post(apexAuto.POST, fg.metrc_number, "apex-auto", { enabled: "yes" })).status).toBe(400);
    expect((await post(apexAuto.POST, "1A4000000000000000NOPE00", "apex-auto", { enabled: true })).status).toBe(404);
    expect((await post(apexAuto.POST, fg.metrc_number, "apex-auto", { enabled: true }, p.headers.viewer)).status).toBe(403);
  });
});

describe("POST …/apex-units", () => {
  it("stores counts under canonical keys and echoes the four", async () => {
    const fg = await newPackage();
    const res = await post(apexUnits.POST, fg.metrc_number, "apex-units", { singles_0_5g: 821, box_0_5g_6pk: 136 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true,
      metrc_number: fg.metrc_number,
      singles_0_5g: 821,
      singles_1g: 0,
      magnetic_box_6pk: 136,
      magnetic_box_12pk: 0,
      apex_units: { singles_0_5g: 821, magnetic_box_6pk: 136 },
    });
    const second = await post(apexUnits.POST, fg.metrc_number, "apex-units", { singles_1g: 12, singles_0_5g: null });
    expect(second.json.apex_units).toEqual({ magnetic_box_6pk: 136, singles_1g: 12 });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } })).apex_units).toEqual({
      magnetic_box_6pk: 136,
      singles_1g: 12,
    });
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: fg.metrc_number, change_type: "apex_units" } })).toBe(2);
    expect(await eventsFor("finished_good.apex_updated", fg.metrc_number)).toHaveLength(2);
  });

  it("an unchanged or empty body writes nothing", async () => {
    const fg = await newPackage({ apex_units: { singles_1g: 5 } });
    const res = await post(apexUnits.POST, fg.metrc_number, "apex-units", { singles_1g: 5 });
    expect(res.json.singles_1g).toBe(5);
    expect((await post(apexUnits.POST, fg.metrc_number, "apex-units", {})).status).toBe(200);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: fg.metrc_number } })).toBe(0);
  });

  it("400 for a negative or fractional count and for a count of an unknown SKU", async () => {
    const fg = await newPackage();
    const neg = await post(apexUnits.POST, fg.metrc_number, "apex-units", { singles_1g: -1 });
    expect(neg.status).toBe(400);
    expect(neg.json.error).toBe("Invalid value for singles_1g");
    expect((await post(apexUnits.POST, fg.metrc_number, "apex-units", { magnetic_box_6pk: 1.5 })).status).toBe(400);
    const unknown = await post(apexUnits.POST, fg.metrc_number, "apex-units", { singles_2g: 4 });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe("Unknown SKU: singles_2g");
  });
});

describe("POST …/apex-settings", () => {
  it("saves exclusions and manual units (any vocabulary) and apex-calculate follows", async () => {
    const fg = await newPackage();
    const res = await post(apexSettings.POST, fg.metrc_number, "apex-settings", {
      settings: { "0.5g Singles": { excluded: true, manual_units: null }, box_0_5g_6pk: { excluded: false, manual_units: 40 } },
      auto_calculate: true,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      metrc_number: fg.metrc_number,
      settings: {
        singles_0_5g: { excluded: true, manual_units: null },
        singles_1g: { excluded: false, manual_units: null },
        magnetic_box_6pk: { excluded: false, manual_units: 40 },
        magnetic_box_12pk: { excluded: false, manual_units: null },
      },
    });
    const stored = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect(stored.apex_sku_settings).toEqual({
      singles_0_5g: { excluded: true, manual_units: null },
      magnetic_box_6pk: { excluded: false, manual_units: 40 },
    });
    expect(stored.apex_auto_inventory).toBe(true);
    const calc = await calculate(fg.metrc_number);
    expect(calc.json.calculated_units.singles_0_5g).toMatchObject({ units: 0, grams_used: 0, excluded: true });
    expect(calc.json.calculated_units.magnetic_box_6pk).toMatchObject({ units: 40, grams_used: 120 });
    expect(calc.json.total_grams_allocated).toBe(500);
    // Field by field: a later manual_units leaves the exclusion alone; back to defaults drops the entry.
    await post(apexSettings.POST, fg.metrc_number, "apex-settings", {
      settings: { singles_0_5g: { manual_units: 3 }, magnetic_box_6pk: { manual_units: null } },
    });
    const after = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect(after.apex_sku_settings).toEqual({ singles_0_5g: { excluded: true, manual_units: 3 } });
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: fg.metrc_number } });
    expect(history.map((h) => h.change_type)).toEqual(["sku_settings", "sku_settings"]);
    expect(await eventsFor("finished_good.apex_updated", fg.metrc_number)).toHaveLength(2);
    const read = await call(apexSettings.GET, {
      path: `/api/finished-goods/${fg.metrc_number}/apex-settings`,
      params: { metrc: fg.metrc_number },
      headers: p.headers.viewer,
    });
    expect(read.json.settings.singles_0_5g).toEqual({ excluded: true, manual_units: 3 });
  });

  it('400 "settings is required", 400 for an unknown SKU or a bad value', async () => {
    const fg = await newPackage();
    const missing = await post(apexSettings.POST, fg.metrc_number, "apex-settings", { auto_calculate: true });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("settings is required");
    const unknown = await post(apexSettings.POST, fg.metrc_number, "apex-settings", { settings: { mystery: { excluded: true } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe("Unknown SKU: mystery");
    expect(
      (await post(apexSettings.POST, fg.metrc_number, "apex-settings", { settings: { singles_1g: { manual_units: -2 } } })).status,
    ).toBe(400);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: fg.metrc_number } })).toBe(0);
  });
});

describe("POST …/apex-decrement", () => {
  it("takes the units and their grams; answers the contract's shape", async () => {
    const fg = await newPackage({ apex_units: { singles_0_5g: 100 } });
    const res = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", {
      sku: "0.5g Singles",
      units: 10,
      reason: "Apex order 42",
      idempotency_key: "order-42-line-1",
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      metrc_number: fg.metrc_number,
      sku: "0.5g Singles",
      sku_key: "singles_0_5g",
      units_decremented: 10,
      previous_units: 100,
      current_units: 90,
      idempotency_key: "order-42-line-1",
      grams_decremented: 5,
      current_grams: 495,
    });
    const after = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect(after.current_grams).toBe(495);
    expect(after.apex_units).toEqual({ singles_0_5g: 90 });
    const rows = await db.apexDecrement.findMany({ where: { metrc_number: fg.metrc_number } });
    expect(rows.map((r) => [r.idempotency_key, r.sku, r.units])).toEqual([["order-42-line-1", "singles_0_5g", 10]]);
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: fg.metrc_number } });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ change_type: "apex_decrement", grams_changed: -5, current_grams: 495, reason: "Apex order 42" });
    const events = await eventsFor("finished_good.apex_decremented", fg.metrc_number);
    expect(events.map((e) => e.payload)).toEqual([
      {
        metrc_number: fg.metrc_number,
        strain: fg.strain,
        sku: "singles_0_5g",
        units: 10,
        idempotency_key: "order-42-line-1",
        grams: 5,
        previous_units: 100,
        current_units: 90,
        current_grams: 495,
      },
    ]);
    const audit = await db.auditLog.findMany({ where: { entity_id: fg.metrc_number, field: "current_grams" } });
    expect(audit.map((a) => [a.old, a.new])).toEqual([["500", "495"]]);
  });

  it("a repeated key answers duplicate and changes nothing", async () => {
    const fg = await newPackage();
    const body = { sku: "singles_1g", units: 3, idempotency_key: "sale-1" };
    expect((await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", body)).json.current_units).toBe(497);
    const again = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ success: true, duplicate: true, message: "Already processed", idempotency_key: "sale-1" });
    // Even with a different body: the key decides.
    const different = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", { ...body, units: 50 });
    expect(different.json.duplicate).toBe(true);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } })).current_grams).toBe(497);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: fg.metrc_number } })).toBe(1);
    expect(await eventsFor("finished_good.apex_decremented", fg.metrc_number)).toHaveLength(1);
  });

  it("10 parallel identical decrements are applied once", async () => {
    const fg = await newPackage({ grams: 100 });
    const body = { sku: "magnetic_box_6pk", units: 2, idempotency_key: "parallel-key" };
    const results = await Promise.all(Array.from({ length: 10 }, () => post(apexDecrement.POST, fg.metrc_number, "apex-decrement", body)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.json.duplicate === true)).toHaveLength(9);
    expect(results.filter((r) => r.json.units_decremented === 2)).toHaveLength(1);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } })).current_grams).toBe(94);
    expect(await db.apexDecrement.count({ where: { metrc_number: fg.metrc_number } })).toBe(1);
    expect(await eventsFor("finished_good.apex_decremented", fg.metrc_number)).toHaveLength(1);
  });

  it("the same key on another package is another sale; no key applies every time", async () => {
    const a = await newPackage();
    const b = await newPackage();
    await post(apexDecrement.POST, a.metrc_number, "apex-decrement", { sku: "singles_1g", units: 1, idempotency_key: "k" });
    const other = await post(apexDecrement.POST, b.metrc_number, "apex-decrement", { sku: "singles_1g", units: 1, idempotency_key: "k" });
    expect(other.json.duplicate).toBeUndefined();
    await post(apexDecrement.POST, a.metrc_number, "apex-decrement", { sku: "singles_1g", units: 1 });
    const noKey = await post(apexDecrement.POST, a.metrc_number, "apex-decrement", { sku: "singles_1g", units: 1 });
    expect(noKey.json).toMatchObject({ idempotency_key: null, current_units: 497 });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: a.metrc_number } })).current_grams).toBe(497);
  });

  it("without stored counts (auto inventory) the calculated units are the base; manual units and the override drop too", async () => {
    const fg = await newPackage({
      apex_auto_inventory: true,
      physical_grams_override: 300,
      apex_units: { magnetic_box_12pk: 9 },
      apex_sku_settings: { magnetic_box_12pk: { excluded: false, manual_units: 20 } },
    });
    const res = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", { sku: "box_0_5g_12pk", units: 5 });
    expect(res.json).toMatchObject({ previous_units: 20, current_units: 15, grams_decremented: 30, current_grams: 470 });
    const after = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect(after.physical_grams_override).toBe(270);
    expect(after.apex_units).toEqual({ magnetic_box_12pk: 4 });
    expect(after.apex_sku_settings).toEqual({ magnetic_box_12pk: { excluded: false, manual_units: 15 } });
    expect((await calculate(fg.metrc_number)).json.calculated_units.magnetic_box_12pk.units).toBe(15);
  });

  it('400 "Insufficient units available" when more units than on offer, or more grams than the package holds; nothing changes', async () => {
    const fg = await newPackage({ grams: 10, apex_units: { singles_1g: 4 } });
    const tooMany = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", {
      sku: "singles_1g",
      units: 5,
      idempotency_key: "short",
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toBe("Insufficient units available");
    const stale = await newPackage({ grams: 10, apex_units: { magnetic_box_12pk: 9 } }); // 9 × 6 g > 10 g
    const tooHeavy = await post(apexDecrement.POST, stale.metrc_number, "apex-decrement", { sku: "magnetic_box_12pk", units: 2 });
    expect(tooHeavy.status).toBe(400);
    expect(tooHeavy.json.error).toBe("Insufficient units available");
    // The failed key was not consumed: a correct retry with it applies.
    const retry = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", {
      sku: "singles_1g",
      units: 4,
      idempotency_key: "short",
    });
    expect(retry.json).toMatchObject({ success: true, current_units: 0 });
    const after = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect(after.current_grams).toBe(6);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: stale.metrc_number } })).current_grams).toBe(10);
  });

  it("a sale of the last grams depletes the package", async () => {
    const fg = await newPackage({ grams: 3 });
    const res = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", { sku: "magnetic_box_6pk", units: 1 });
    expect(res.json).toMatchObject({ current_grams: 0, status: "depleted" });
  });

  it('400 "sku and units are required", 400 Unknown SKU, 404 Package not found', async () => {
    const fg = await newPackage();
    for (const body of [{}, { sku: "singles_1g" }, { units: 2 }, { sku: "singles_1g", units: 0 }]) {
      const res = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", body);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe("sku and units are required");
    }
    expect((await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", { sku: "singles_1g", units: -1 })).status).toBe(400);
    const unknown = await post(apexDecrement.POST, fg.metrc_number, "apex-decrement", { sku: "2g Singles", units: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe("Unknown SKU: 2g Singles");
    const missing = await post(apexDecrement.POST, "1A4000000000000000NOPE00", "apex-decrement", { sku: "singles_1g", units: 1 });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Package not found");
  });
});
