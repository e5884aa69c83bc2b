import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import * as setSkus from "@/app/api/finished-goods/[metrc]/set-skus/route";
import * as customSkus from "@/app/api/finished-goods/[metrc]/custom-skus/route";
import * as customSku from "@/app/api/finished-goods/[metrc]/custom-skus/[sku_key]/route";
import * as apexCalculate from "@/app/api/finished-goods/[metrc]/apex-calculate/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function newPackage(data: { custom_skus?: object; apex_sku_settings?: object; apex_units?: object } = {}) {
  const base = buildFinishedGood({ grams: 500 });
  return db.finishedGood.create({
    data: { metrc_number: base.metrc_number, strain: base.strain, initial_grams: 500, current_grams: 500, ...data },
  });
}

type Handler = Parameters<typeof call>[0];
function send(handler: Handler, method: string, metrc: string, body?: unknown, headers: Record<string, string> = p.headers.apiKey) {
  return call(handler, { method, path: `/api/finished-goods/${metrc}/custom-skus`, params: { metrc }, headers, body });
}
function remove(metrc: string, skuKey: string, headers: Record<string, string> = p.headers.apiKey) {
  return call(customSku.DELETE, {
    method: "DELETE",
    path: `/api/finished-goods/${metrc}/custom-skus/${encodeURIComponent(skuKey)}`,
    params: { metrc, sku_key: skuKey },
    headers,
  });
}
const stored = (metrc: string) => db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });

describe("POST …/set-skus", () => {
  it("stores the SKU breakdown and answers {success, metrc_number, skus}", async () => {
    const fg = await newPackage();
    const skus = [
      { product_name: "CannaDart", unit_size: "0.5g", pack_size: 1, packs_ordered: 200 },
      { product_name: "Magnetic Box", unit_size: 0.5, pack_size: 6, packs_ordered: 20 },
    ];
    const res = await call(setSkus.POST, {
      method: "POST",
      path: `/api/finished-goods/${fg.metrc_number}/set-skus`,
      params: { metrc: fg.metrc_number },
      headers: p.headers.apiKey,
      body: { skus },
    });
    expect(res.status).toBe(200);
    const expected = [skus[0], { ...skus[1], unit_size: "0.5g" }];
    expect(res.json).toEqual({ success: true, metrc_number: fg.metrc_number, skus: expected });
    expect((await stored(fg.metrc_number)).sku_breakdown).toEqual(expected);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: fg.metrc_number, change_type: "sku_breakdown" } })).toBe(1);
    const events = await db.event.findMany({ where: { type: "finished_good.updated" } });
    expect(events.some((e) => (e.payload as { metrc_number: string; updated_fields: string[] }).metrc_number === fg.metrc_number)).toBe(
      true,
    );
    const audit = await db.auditLog.findFirst({ where: { entity_id: fg.metrc_number, field: "sku_breakdown" } });
    expect(audit?.new).toContain("CannaDart");
  });

  it('400 "skus is required", 400 for a malformed item, 404 for an unknown package', async () => {
    const fg = await newPackage();
    const at = (metrc: string, body: unknown) =>
      call(setSkus.POST, {
        method: "POST",
        path: `/api/finished-goods/${metrc}/set-skus`,
        params: { metrc },
        headers: p.headers.operator,
        body,
      });
    const missing = await at(fg.metrc_number, {});
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("skus is required");
    expect((await at(fg.metrc_number, { skus: [{ product_name: "", unit_size: "0.5g" }] })).status).toBe(400);
    expect((await at(fg.metrc_number, { skus: [{ product_name: "X", unit_size: "0.5g", pack_size: 0 }] })).status).toBe(400);
    expect((await at("1A4000000000000000NOPE00", { skus: [] })).status).toBe(404);
    expect((await at(fg.metrc_number, { skus: [] })).json.skus).toEqual([]);
  });
});

describe("custom SKUs", () => {
  it("GET lists effective SKUs with their source", async () => {
    const fg = await newPackage({ custom_skus: { cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 } } });
    const res = await send(customSkus.GET, "GET", fg.metrc_number, undefined, p.headers.viewer);
    expect(res.status).toBe(200);
    expect(res.json.success).toBe(true);
    expect(res.json.custom_skus).toEqual({
      cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" },
    });
    expect(res.json.effective_skus).toMatchObject({
      singles_0_5g: { unit_size: "0.5g", pack_size: 1, source: "default" },
      singles_1g: { unit_size: "1.0g", pack_size: 1, source: "default" },
      magnetic_box_6pk: { unit_size: "0.5g", pack_size: 6, source: "default" },
      magnetic_box_12pk: { unit_size: "0.5g", pack_size: 12, source: "default" },
      cannadart_0_8g: { unit_size: "0.8g", pack_size: 1, source: "custom" },
    });
    const none = await newPackage();
    expect((await send(customSkus.GET, "GET", none.metrc_number)).json.custom_skus).toBeNull();
  });

  it("POST replaces them all (both definition forms), null clears; apex-calculate follows", async () => {
    const fg = await newPackage();
    const res = await send(customSkus.POST, "POST", fg.metrc_number, {
      custom_skus: {
        cocoa_blunt_1g: { name: "Cocoa Blunt 1g", grams_per_unit: 1.0, pack_size: 1 },
        "0.8g Premium": { unit_size: "0.8g", pack_size: 1, display_name: "0.8g Premium" },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.custom_skus).toEqual({
      cocoa_blunt_1g: { name: "Cocoa Blunt 1g", grams_per_unit: 1, pack_size: 1, unit_size: "1.0g" },
      "0.8g Premium": { name: "0.8g Premium", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" },
    });
    expect(res.json.effective_skus["0.8g Premium"].source).toBe("custom");
    const calc = await call(apexCalculate.GET, { path: "/x", params: { metrc: fg.metrc_number }, headers: p.headers.apiKey });
    expect(calc.json.calculated_units["0.8g Premium"]).toMatchObject({ units: 625, grams_used: 500, excluded: false });
    expect(calc.json.calculated_units.cocoa_blunt_1g.units).toBe(500);

    const cleared = await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: null });
    expect(cleared.json.custom_skus).toBeNull();
    expect(Object.keys(cleared.json.effective_skus)).toHaveLength(4);
    expect((await stored(fg.metrc_number)).custom_skus).toBeNull();
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: fg.metrc_number } });
    expect(history.map((h) => h.change_type)).toEqual(["custom_skus", "custom_skus"]);
    const events = (await db.event.findMany({ where: { type: "finished_good.apex_updated" } })).filter(
      (e) => (e.payload as { metrc_number: string }).metrc_number === fg.metrc_number,
    );
    expect(events).toHaveLength(2);
  });

  it('POST: 400 "custom_skus field is required", 400 for a bad definition or a default-SKU clash', async () => {
    const fg = await newPackage();
    const missing = await send(customSkus.POST, "POST", fg.metrc_number, {});
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("custom_skus field is required");
    expect((await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: { x: { name: "No grams" } } })).status).toBe(400);
    expect((await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: { x: { grams_per_unit: -1 } } })).status).toBe(400);
    const clash = await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: { box_0_5g_6pk: { grams_per_unit: 3 } } });
    expect(clash.status).toBe(400);
    expect(clash.json.error).toMatch(/clashes with the default SKU magnetic_box_6pk/);
    const named = await send(customSkus.POST, "POST", fg.metrc_number, {
      custom_skus: { mine: { name: "1.0g Singles", grams_per_unit: 1 } },
    });
    expect(named.status).toBe(400);
    const twins = await send(customSkus.POST, "POST", fg.metrc_number, {
      custom_skus: { a: { name: "Dart", grams_per_unit: 1 }, b: { name: "dart", grams_per_unit: 2 } },
    });
    expect(twins.status).toBe(400);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: fg.metrc_number } })).toBe(0);
  });

  it("PUT adds or replaces one, with optional settings; 400 when sku_key or sku_def is missing", async () => {
    const fg = await newPackage({ custom_skus: { cocoa_blunt_1g: { name: "Cocoa Blunt 1g", grams_per_unit: 1, pack_size: 1 } } });
    const res = await send(customSkus.PUT, "PUT", fg.metrc_number, {
      sku_key: "cannadart_0_8g",
      sku_def: { name: "CannaDart 0.8g", grams_per_unit: 0.8 },
      current_settings: { cannadart_0_8g: { excluded: false, manual_units: 50 }, "0.5g Singles": { excluded: true } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      metrc_number: fg.metrc_number,
      sku_key: "cannadart_0_8g",
      sku_def: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" },
    });
    // Insertion order on both engines (PostgreSQL's json keeps it; jsonb would put cannadart first).
    expect(Object.keys(res.json.custom_skus)).toEqual(["cocoa_blunt_1g", "cannadart_0_8g"]);
    const row = await stored(fg.metrc_number);
    expect(row.apex_sku_settings).toEqual({
      cannadart_0_8g: { excluded: false, manual_units: 50 },
      singles_0_5g: { excluded: true, manual_units: null },
    });
    const replaced = await send(customSkus.PUT, "PUT", fg.metrc_number, {
      sku_key: "cannadart_0_8g",
      sku_def: { unit_size: "0.8g", pack_size: 6, display_name: "CannaDart 6-Pack" },
    });
    expect(replaced.json.sku_def).toEqual({ name: "CannaDart 6-Pack", grams_per_unit: 4.8, pack_size: 6, unit_size: "0.8g" });
    const missing = await send(customSkus.PUT, "PUT", fg.metrc_number, { sku_key: "x" });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("sku_key and sku_def are required");
    expect((await send(customSkus.PUT, "PUT", fg.metrc_number, { sku_key: "singles_1_0g", sku_def: { grams_per_unit: 1 } })).status).toBe(
      400,
    );
  });

  it("DELETE removes one with its Apex settings and units; 404 Custom SKU not found", async () => {
    const fg = await newPackage({
      custom_skus: {
        cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 },
        "0.8g Premium": { unit_size: "0.8g", pack_size: 1 },
      },
      apex_sku_settings: { cannadart_0_8g: { excluded: true, manual_units: null }, singles_1g: { excluded: true, manual_units: null } },
      apex_units: { cannadart_0_8g: 10, singles_1g: 4 },
    });
    const res = await remove(fg.metrc_number, "cannadart_0_8g");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, metrc_number: fg.metrc_number, deleted_sku: "cannadart_0_8g" });
    const row = await stored(fg.metrc_number);
    expect(row.custom_skus).toEqual({ "0.8g Premium": { name: "0.8g Premium", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" } });
    expect(row.apex_sku_settings).toEqual({ singles_1g: { excluded: true, manual_units: null } });
    expect(row.apex_units).toEqual({ singles_1g: 4 });
    expect((await remove(fg.metrc_number, "0.8g Premium")).json.deleted_sku).toBe("0.8g Premium");
    expect((await stored(fg.metrc_number)).custom_skus).toBeNull();

    const gone = await remove(fg.metrc_number, "cannadart_0_8g");
    expect(gone.status).toBe(404);
    expect(gone.json.error).toBe("Custom SKU not found");
    expect((await remove(fg.metrc_number, "singles_1g")).status).toBe(404);
    expect((await remove("1A4000000000000000NOPE00", "x")).json.error).toBe("Package not found");
  });

  it("a custom SKU with wholesale holds cannot be removed (409) until they are released", async () => {
    const fg = await newPackage({ custom_skus: { cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 } } });
    const hold = await db.wholesaleHold.create({ data: { metrc_number: fg.metrc_number, sku_name: "CannaDart 0.8g", quantity: 10 } });
    const res = await remove(fg.metrc_number, "cannadart_0_8g");
    expect(res.status).toBe(409);
    expect(res.json.code).toBe("sku_has_holds");
    expect((await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: null })).status).toBe(409);
    await db.wholesaleHold.delete({ where: { id: hold.id } });
    expect((await remove(fg.metrc_number, "cannadart_0_8g")).status).toBe(200);
  });

  it("keeps the operator's order through POST, GET and the stored row (PostgreSQL too: json, not jsonb)", async () => {
    const fg = await newPackage();
    // jsonb would return these shortest first (a1, mid_0_8g, zeta_…): the reverse.
    const order = ["zeta_long_custom_sku_1g", "mid_0_8g", "a1"];
    const written = Object.fromEntries(order.map((key, i) => [key, { name: `Custom ${i}`, grams_per_unit: 0.5 + i / 10 }]));
    const posted = await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: written });
    expect(posted.status).toBe(200);
    expect(Object.keys(posted.json.custom_skus)).toEqual(order);
    const read = await send(customSkus.GET, "GET", fg.metrc_number, undefined, p.headers.viewer);
    expect(Object.keys(read.json.custom_skus)).toEqual(order);
    expect(Object.keys(read.json.effective_skus).filter((k) => read.json.effective_skus[k].source === "custom")).toEqual(order);
    // Each definition's fields too, and the stored text is as written (no spaces added).
    expect(Object.keys(read.json.custom_skus.mid_0_8g)).toEqual(Object.keys(posted.json.custom_skus.mid_0_8g));
    const [{ text }] = await db.$queryRaw<{ text: string }[]>`
      SELECT CAST(custom_skus AS TEXT) AS text FROM finished_goods WHERE metrc_number = ${fg.metrc_number}`;
    expect(text).toBe(JSON.stringify(read.json.custom_skus));
  });

  it("viewers read but do not write", async () => {
    const fg = await newPackage();
    expect((await send(customSkus.GET, "GET", fg.metrc_number, undefined, p.headers.viewer)).status).toBe(200);
    expect((await send(customSkus.POST, "POST", fg.metrc_number, { custom_skus: null }, p.headers.viewer)).status).toBe(403);
    expect((await remove(fg.metrc_number, "x", p.headers.viewer)).status).toBe(403);
  });
});
