import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { buildBatch } from "@/prisma/seed/batch";
import * as inventoryRoute from "@/app/api/wholesale/inventory/route";
import * as holdRoute from "@/app/api/wholesale/hold/route";
import * as releaseRoute from "@/app/api/wholesale/hold/[hold_id]/route";
import * as holdsRoute from "@/app/api/wholesale/holds/route";
import * as lastUpdatedRoute from "@/app/api/wholesale/last-updated/route";
import * as apexCalculate from "@/app/api/finished-goods/[metrc]/apex-calculate/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function newPackage(
  data: { grams?: number; strain?: string; status?: string; grams_ordered?: number; custom_skus?: object; source_batch_id?: string } = {},
) {
  const { grams = 500, strain, ...rest } = data;
  const base = buildFinishedGood({ grams, strain });
  return db.finishedGood.create({
    data: { metrc_number: base.metrc_number, strain: base.strain, initial_grams: grams, current_grams: grams, ...rest },
  });
}

function hold(body: unknown, headers: Record<string, string> = p.headers.operator) {
  return call(holdRoute.POST, { method: "POST", path: "/api/wholesale/hold", headers, body });
}
function release(id: string, headers: Record<string, string> = p.headers.operator) {
  return call(releaseRoute.DELETE, { method: "DELETE", path: `/api/wholesale/hold/${id}`, params: { hold_id: id }, headers });
}
async function inventory() {
  const res = await call(inventoryRoute.GET, { path: "/api/wholesale/inventory", headers: p.headers.viewer });
  expect(res.status).toBe(200);
  return res.json as {
    success: boolean;
    strains: {
      strain: string;
      packages: {
        metrc_number: string;
        available_grams: number;
        skus: Record<string, { units: number; available: number; held: number }>;
      }[];
    }[];
  };
}
async function packageIn(metrc: string) {
  for (const s of (await inventory()).strains) for (const pkg of s.packages) if (pkg.metrc_number === metrc) return pkg;
  return undefined;
}

describe("wholesale holds", () => {
  it("creates a hold: contract answer, stored under the SKU's display name, history, audit, event", async () => {
    const fg = await newPackage();
    const res = await hold({ metrc_number: fg.metrc_number, sku_name: "magnetic_box_6pk", quantity: 10, notes: "Store 12 order" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      hold_id: expect.any(String),
      message: expect.stringContaining("10 × 6-Pack Magnetic Box"),
    });
    const row = await db.wholesaleHold.findUniqueOrThrow({ where: { id: res.json.hold_id } });
    expect(row).toMatchObject({
      metrc_number: fg.metrc_number,
      sku_name: "6-Pack Magnetic Box",
      quantity: 10,
      notes: "Store 12 order",
      created_by: "operator",
    });
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: fg.metrc_number } });
    expect(history.map((h) => h.change_type)).toEqual(["wholesale_hold"]);
    expect(history[0].details).toMatchObject({ hold_id: row.id, quantity: 10, grams: 30 });
    expect(await db.auditLog.count({ where: { entity: "wholesale_hold", entity_id: row.id } })).toBeGreaterThan(0);
    const events = await db.event.findMany({ where: { type: "wholesale.hold_created" } });
    expect(events.map((e) => e.payload)).toContainEqual({
      hold_id: row.id,
      metrc_number: fg.metrc_number,
      sku_name: "6-Pack Magnetic Box",
      quantity: 10,
    });
    // The held grams leave the Apex pool too.
    const calc = await call(apexCalculate.GET, { path: "/x", params: { metrc: fg.metrc_number }, headers: p.headers.apiKey });
    expect(calc.json.available_grams).toBe(470);
  });

  it('400 "Only N units available (requested M)" with success:false, counting other SKUs\' holds', async () => {
    const fg = await newPackage({ grams: 70, grams_ordered: 40 }); // 30 g: 10 six-packs
    const over = await hold({ metrc_number: fg.metrc_number, sku_name: "6-Pack Magnetic Box", quantity: 11 });
    expect(over.status).toBe(400);
    expect(over.json).toMatchObject({ success: false, error: "Only 10 units available (requested 11)" });
    expect((await hold({ metrc_number: fg.metrc_number, sku_name: "1.0g Singles", quantity: 15 })).status).toBe(200); // 15 g left
    const after = await hold({ metrc_number: fg.metrc_number, sku_name: "6-Pack Magnetic Box", quantity: 6 });
    expect(after.json.error).toBe("Only 5 units available (requested 6)");
    expect(await db.wholesaleHold.count({ where: { metrc_number: fg.metrc_number } })).toBe(1);
  });

  it("parallel holds never exceed availability", async () => {
    const fg = await newPackage({ grams: 30 }); // 10 six-packs
    const results = await Promise.all(
      Array.from({ length: 8 }, () => hold({ metrc_number: fg.metrc_number, sku_name: "magnetic_box_6pk", quantity: 3 })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => r.status === 400).every((r) => /^Only [01] units available \(requested 3\)$/.test(r.json.error))).toBe(
      true,
    );
    const held = await db.wholesaleHold.aggregate({ where: { metrc_number: fg.metrc_number }, _sum: { quantity: true } });
    expect(held._sum.quantity).toBe(9);
    expect((await packageIn(fg.metrc_number))?.skus["6-Pack Magnetic Box"]).toEqual({ units: 10, available: 1, held: 9 });
  });

  it("validation: required fields, whole positive quantity, unknown SKU, package not found, package not active", async () => {
    const fg = await newPackage();
    const missing = await hold({ metrc_number: fg.metrc_number });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ success: false, error: "metrc_number, sku_name and quantity are required" });
    for (const quantity of [0, -2, 1.5]) {
      const res = await hold({ metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity });
      expect(res.status).toBe(400);
      expect(res.json.success).toBe(false);
    }
    const unknown = await hold({ metrc_number: fg.metrc_number, sku_name: "Gummies", quantity: 1 });
    expect(unknown.json).toMatchObject({ success: false, error: "Unknown SKU: Gummies" });
    const nope = await hold({ metrc_number: "1A4000000000000000NOPE00", sku_name: "0.5g Singles", quantity: 1 });
    expect(nope.status).toBe(404);
    expect(nope.json).toMatchObject({ success: false, error: "Package not found" });
    const archived = await newPackage({ status: "archived" });
    const res = await hold({ metrc_number: archived.metrc_number, sku_name: "0.5g Singles", quantity: 1 });
    expect(res.status).toBe(400);
    expect(res.json.success).toBe(false);
    // A lower-case tag finds the package.
    expect((await hold({ metrc_number: fg.metrc_number.toLowerCase(), sku_name: "0.5g Singles", quantity: 1 })).status).toBe(200);
  });

  it("custom SKUs can be held by name or key", async () => {
    const fg = await newPackage({
      grams: 8,
      custom_skus: { cannadart_0_8g: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 } },
    });
    expect((await hold({ metrc_number: fg.metrc_number, sku_name: "custom_cannadart_0_8g", quantity: 10 })).status).toBe(200);
    expect((await hold({ metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity: 1 })).json.error).toBe(
      "Only 0 units available (requested 1)",
    );
  });

  it("lab-state holds: stock whose batch has not passed testing cannot be held (409) unless an admin overrides", async () => {
    const batch = await db.batch.create({ data: { ...buildBatch(), testing_status: "sample_sent" } as never });
    const fg = await newPackage({ source_batch_id: batch.id });
    await db.setting.upsert({
      where: { key: "lab_state_holds" },
      create: { key: "lab_state_holds", value: { enabled: true } },
      update: { value: { enabled: true } },
    });
    try {
      const refused = await hold({ metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity: 1 });
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ success: false, code: "lab_hold" });
      const admin = await hold(
        { metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity: 1, override_reason: "Customer accepts pending COA" },
        p.headers.admin,
      );
      expect(admin.status).toBe(200);
    } finally {
      await db.setting.delete({ where: { key: "lab_state_holds" } });
    }
  });

  it("releases a hold: units return, history, event; 404 {success:false, error}", async () => {
    const fg = await newPackage({ grams: 30 });
    const created = await hold({ metrc_number: fg.metrc_number, sku_name: "6-Pack Magnetic Box", quantity: 10 });
    expect((await packageIn(fg.metrc_number))?.skus["6-Pack Magnetic Box"].available).toBe(0);
    const res = await release(created.json.hold_id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, message: expect.any(String) });
    expect((await packageIn(fg.metrc_number))?.skus["6-Pack Magnetic Box"]).toEqual({ units: 10, available: 10, held: 0 });
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: fg.metrc_number }, orderBy: { id: "asc" } });
    expect(history.map((h) => h.change_type)).toEqual(["wholesale_hold", "wholesale_release"]);
    const events = await db.event.findMany({ where: { type: "wholesale.hold_released" } });
    expect(events.map((e) => e.payload)).toContainEqual({
      hold_id: created.json.hold_id,
      metrc_number: fg.metrc_number,
      sku_name: "6-Pack Magnetic Box",
      quantity: 10,
    });
    const again = await release(created.json.hold_id);
    expect(again.status).toBe(404);
    expect(again.json).toMatchObject({ success: false, error: "Hold not found" });
  });

  it("GET /api/wholesale/holds lists holds, optionally of one package", async () => {
    const a = await newPackage();
    const b = await newPackage();
    await hold({ metrc_number: a.metrc_number, sku_name: "0.5g Singles", quantity: 5, notes: "first" });
    await hold({ metrc_number: b.metrc_number, sku_name: "1.0g Singles", quantity: 2 });
    const one = await call(holdsRoute.GET, { path: `/api/wholesale/holds?metrc_number=${a.metrc_number}`, headers: p.headers.viewer });
    expect(one.status).toBe(200);
    expect(one.json.success).toBe(true);
    expect(one.json.holds).toEqual([
      {
        id: expect.any(String),
        metrc_number: a.metrc_number,
        sku_name: "0.5g Singles",
        quantity: 5,
        created_date: expect.any(String),
        notes: "first",
        created_by: "operator",
      },
    ]);
    const all = await call(holdsRoute.GET, { path: "/api/wholesale/holds", headers: p.headers.viewer });
    expect(all.json.holds.length).toBeGreaterThanOrEqual(2);
  });

  it("session only, operators write", async () => {
    const fg = await newPackage();
    expect((await hold({ metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity: 1 }, p.headers.apiKey)).status).toBe(401);
    expect((await hold({ metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity: 1 }, p.headers.viewer)).status).toBe(403);
    expect((await call(inventoryRoute.GET, { path: "/api/wholesale/inventory", headers: p.headers.apiKey })).status).toBe(401);
  });
});

describe("GET /api/wholesale/inventory", () => {
  it("groups active packages by strain (case and spacing ignored), with per-SKU units, available and held", async () => {
    const a = await newPackage({ strain: "Gelato Forty One", grams: 500 });
    const b = await newPackage({ strain: "gelato  forty one ", grams: 60 });
    const archived = await newPackage({ strain: "Gelato Forty One", status: "archived" });
    const orphaned = await newPackage({ strain: "Gelato Forty One", status: "orphaned" });
    const depleted = await newPackage({ strain: "Gelato Forty One", status: "depleted", grams: 0 });
    await hold({ metrc_number: a.metrc_number, sku_name: "6-Pack Magnetic Box", quantity: 10 });
    const inv = await inventory();
    expect(inv.success).toBe(true);
    const groups = inv.strains.filter((s) => s.strain.toLowerCase().replace(/\s+/g, " ").trim() === "gelato forty one");
    expect(groups).toHaveLength(1);
    const metrcs = groups[0].packages.map((x) => x.metrc_number);
    expect(metrcs).toEqual(expect.arrayContaining([a.metrc_number, b.metrc_number]));
    for (const hidden of [archived, orphaned, depleted]) expect(metrcs).not.toContain(hidden.metrc_number);
    const pa = groups[0].packages.find((x) => x.metrc_number === a.metrc_number)!;
    expect(pa.available_grams).toBe(470);
    expect(pa.skus).toEqual({
      "0.5g Singles": { units: 1000, available: 940, held: 0 },
      "1.0g Singles": { units: 500, available: 470, held: 0 },
      "6-Pack Magnetic Box": { units: 166, available: 156, held: 10 },
      "12-Pack Magnetic Box": { units: 83, available: 78, held: 0 },
    });
  });
});

describe("GET /api/wholesale/last-updated", () => {
  it("fingerprint {latest_hold_ts}|{latest_fg_history_ts}|{hold_count}, ETag and 304", async () => {
    const get = (headers: Record<string, string> = {}) =>
      call(lastUpdatedRoute.GET, { path: "/api/wholesale/last-updated", headers: { ...p.headers.viewer, ...headers } });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.json.fingerprint).toMatch(/^[^|]*\|[^|]*\|\d+$/);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await get({ "if-none-match": etag })).status).toBe(304);

    const fg = await newPackage();
    const created = await hold({ metrc_number: fg.metrc_number, sku_name: "0.5g Singles", quantity: 1 });
    const second = await get({ "if-none-match": etag });
    expect(second.status).toBe(200);
    const [holdTs, historyTs, count] = second.json.fingerprint.split("|");
    const row = await db.wholesaleHold.findUniqueOrThrow({ where: { id: created.json.hold_id } });
    expect(holdTs).toBe(row.created_date.toISOString());
    expect(historyTs).toBe(row.created_date.toISOString()); // the hold's history row, same transaction
    expect(Number(count)).toBe(await db.wholesaleHold.count());
    await release(created.json.hold_id);
    expect((await get()).json.fingerprint).not.toBe(second.json.fingerprint);
  });
});
