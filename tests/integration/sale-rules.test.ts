import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import * as packageRoute from "@/app/api/finished-goods/[metrc]/route";
import * as deductRoute from "@/app/api/finished-goods/[metrc]/deduct/route";
import * as packRoute from "@/app/api/finished-goods/[metrc]/pack/route";
import * as completeRoute from "@/app/api/finished-goods/[metrc]/complete-order/route";
import * as orderRoute from "@/app/api/finished-goods/[metrc]/order/route";
import * as setPackedRoute from "@/app/api/finished-goods/[metrc]/set-packed/route";
import * as syncRoute from "@/app/api/finished-goods/[metrc]/sync/route";
import * as apexDecrementRoute from "@/app/api/finished-goods/[metrc]/apex-decrement/route";
import * as overrideRoute from "@/app/api/finished-goods/[metrc]/physical-override/route";
import * as customSkusRoute from "@/app/api/finished-goods/[metrc]/custom-skus/route";
import * as holdRoute from "@/app/api/wholesale/hold/route";

/**
 * One rule for every path that sells or lowers a package's grams (README "Decisions worth
 * knowing"): a sale never takes grams reserved by wholesale holds or orders unless an admin
 * overrides with a reason; the shelf (physical override) is the limit and decides the status;
 * lab-state holds apply to every sale path; custom SKU changes never orphan holds.
 */

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

type Headers = Record<string, string>;
type Handler = Parameters<typeof call>[0];

async function newPackage(data: { grams?: number; source_batch_id?: string; custom_skus?: object; apex_units?: object } = {}) {
  const { grams = 100, ...rest } = data;
  const base = buildFinishedGood({ grams });
  return (
    await db.finishedGood.create({
      data: { metrc_number: base.metrc_number, strain: base.strain, initial_grams: grams, current_grams: grams, ...rest },
    })
  ).metrc_number;
}

function post(handler: Handler, metrc: string, action: string, body: unknown, headers: Headers = p.headers.apiKey) {
  return call(handler, { method: "POST", path: `/api/finished-goods/${metrc}/${action}`, params: { metrc }, headers, body });
}
async function hold(metrc: string, sku_name: string, quantity: number) {
  const res = await call(holdRoute.POST, {
    method: "POST",
    path: "/api/wholesale/hold",
    headers: p.headers.operator,
    body: { metrc_number: metrc, sku_name, quantity },
  });
  expect(res.status, res.text).toBe(200);
  return res.json.hold_id as string;
}
const row = (metrc: string) => db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
async function getPackage(metrc: string) {
  const res = await call(packageRoute.GET, { path: `/api/finished-goods/${metrc}`, params: { metrc }, headers: p.headers.viewer });
  expect(res.status).toBe(200);
  return res.json as { status: string; current_grams: number; effective_grams: number };
}

describe("item 6: sales never take grams reserved by holds or orders", () => {
  it("a deduct beyond what holds leave is a 409 with available/held/ordered, and changes nothing", async () => {
    const metrc = await newPackage({ grams: 100 });
    await hold(metrc, "1.0g Singles", 80); // 80 g held
    const historyBefore = await db.finishedGoodHistory.count({ where: { metrc_number: metrc } });

    const refused = await post(deductRoute.POST, metrc, "deduct", { grams: 30 });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      code: "grams_reserved",
      details: { available_grams: 20, held_grams: 80, ordered_grams: 0, requested_grams: 30 },
    });
    expect(refused.json.error).toMatch(/^Insufficient grams available/);
    expect((await row(metrc)).current_grams).toBe(100);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: metrc } })).toBe(historyBefore);

    const ok = await post(deductRoute.POST, metrc, "deduct", { grams: 20 });
    expect(ok.status, ok.text).toBe(200);
    expect((await row(metrc)).current_grams).toBe(80);
  });

  it("ordered grams are reserved too: a deduct may not eat into them", async () => {
    const metrc = await newPackage({ grams: 100 });
    expect((await post(orderRoute.POST, metrc, "order", { grams: 50 })).status).toBe(200);
    const refused = await post(deductRoute.POST, metrc, "deduct", { grams: 60 });
    expect(refused.status).toBe(409);
    expect(refused.json.details).toMatchObject({ available_grams: 50, ordered_grams: 50, held_grams: 0 });
    expect((await post(deductRoute.POST, metrc, "deduct", { grams: 50 })).status).toBe(200);
  });

  it("an admin may sell reserved grams with override_reason (recorded on history and audit); others may not", async () => {
    const metrc = await newPackage({ grams: 10 });
    await hold(metrc, "1.0g Singles", 8);
    const operator = await post(deductRoute.POST, metrc, "deduct", { grams: 5, override_reason: "breakage" }, p.headers.operator);
    expect(operator.status).toBe(409);
    expect(operator.json.details.override).toMatch(/only an admin/);

    const admin = await post(deductRoute.POST, metrc, "deduct", { grams: 5, override_reason: "hold is being re-cut" }, p.headers.admin);
    expect(admin.status, admin.text).toBe(200);
    expect((await row(metrc)).current_grams).toBe(5);
    const history = await db.finishedGoodHistory.findFirstOrThrow({ where: { metrc_number: metrc, change_type: "deduct" } });
    expect(JSON.stringify(history.details)).toContain("hold is being re-cut");
    const audit = await db.auditLog.findMany({ where: { entity_id: metrc, field: "reservation_override" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].new).toContain("hold is being re-cut");
  });

  it("pack may use ordered grams (it fills orders) but not wholesale holds", async () => {
    const metrc = await newPackage({ grams: 100 });
    expect((await post(orderRoute.POST, metrc, "order", { grams: 60 })).status).toBe(200);
    await hold(metrc, "1.0g Singles", 30);
    expect((await post(packRoute.POST, metrc, "pack", { grams: 60 })).status).toBe(200); // 100 − 30 held ≥ 60
    const refused = await post(packRoute.POST, metrc, "pack", { grams: 20 }); // 40 left, 30 held
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "grams_reserved", details: { held_grams: 30, available_grams: 10 } });
    expect((await row(metrc)).current_grams).toBe(40);
  });

  it("complete-order consumes its order's grams but never grams held for wholesale", async () => {
    const metrc = await newPackage({ grams: 100 });
    expect((await post(orderRoute.POST, metrc, "order", { grams: 30 })).status).toBe(200);
    await hold(metrc, "1.0g Singles", 70);
    const ok = await post(completeRoute.POST, metrc, "complete-order", { grams: 30, order_id: "A-1" });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ current_grams: 70, current_grams_ordered: 0 });
    const refused = await post(completeRoute.POST, metrc, "complete-order", { grams: 1, order_id: "A-2" });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "grams_reserved", details: { held_grams: 70, available_grams: 0 } });
    expect((await row(metrc)).current_grams).toBe(70);
  });

  it("apex-decrement of stored units cannot sell held grams: the contract's 400 with the grams", async () => {
    const metrc = await newPackage({ grams: 100, apex_units: { singles_1g: 100 } });
    await hold(metrc, "1.0g Singles", 80);
    const refused = await post(apexDecrementRoute.POST, metrc, "apex-decrement", { sku: "singles_1g", units: 30, idempotency_key: "s-1" });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: "Insufficient units available", details: { held_grams: 80, available_grams: 20 } });
    expect((await row(metrc)).current_grams).toBe(100);
  });

  it("100 parallel deducts of 1.5 g from 100 g with 40 g held: exactly 40 succeed, the holds stay covered", async () => {
    const metrc = await newPackage({ grams: 100 });
    await hold(metrc, "1.0g Singles", 40);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        post(deductRoute.POST, metrc, "deduct", { grams: 1.5 }, i % 2 ? p.headers.operator : p.headers.apiKey),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(40);
    expect(results.filter((r) => r.status === 409)).toHaveLength(60);
    expect((await row(metrc)).current_grams).toBe(40);
  });
});

describe("item 7: the physical override is the shelf: checks and status use effective grams", () => {
  it("a deduct larger than the override is refused instead of clamping the shelf count to 0", async () => {
    const metrc = await newPackage({ grams: 100 });
    expect((await post(overrideRoute.POST, metrc, "physical-override", { physical_grams: 10 })).status).toBe(200);
    const refused = await post(deductRoute.POST, metrc, "deduct", { grams: 15 });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "insufficient_grams", details: { available_grams: 10 } });
    const fg = await row(metrc);
    expect(fg.physical_grams_override).toBe(10);
    expect(fg.current_grams).toBe(100);
  });

  it("status follows effective grams: selling the last counted grams depletes, a count on the shelf re-activates", async () => {
    const metrc = await newPackage({ grams: 100 });
    expect((await post(overrideRoute.POST, metrc, "physical-override", { physical_grams: 10 })).status).toBe(200);
    const sold = await post(deductRoute.POST, metrc, "deduct", { grams: 10 });
    expect(sold.status).toBe(200);
    expect(sold.json.status).toBe("depleted");

    const empty = await newPackage({ grams: 5 });
    expect((await post(deductRoute.POST, empty, "deduct", { grams: 5 })).json.status).toBe("depleted");
    const counted = await post(overrideRoute.POST, empty, "physical-override", { physical_grams: 12, reason: "found a jar" });
    expect(counted.status).toBe(200);
    expect(await getPackage(empty)).toMatchObject({ status: "active", effective_grams: 12, current_grams: 0 });
  });
  it("restoring an archived package takes its status from the shelf count too", async () => {
    const metrc = await newPackage({ grams: 50 });
    expect((await post(overrideRoute.POST, metrc, "physical-override", { physical_grams: 0, reason: "shelf empty" })).json).toMatchObject({
      effective_grams: 0,
    });
    expect((await getPackage(metrc)).status).toBe("depleted");
    const remove = (query: string) =>
      call(packageRoute.DELETE, {
        method: "DELETE",
        path: `/api/finished-goods/${metrc}${query}`,
        params: { metrc },
        headers: p.headers.admin,
      });
    expect((await remove("")).status).toBe(200);
    const restored = await remove("?restore=true");
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json.status).toBe("depleted");
  });
});

describe("item 9: lab-state holds apply to every sale path", () => {
  async function heldPackage() {
    const batch = await db.batch.create({ data: { ...buildBatch(), testing_status: "sample_sent" } as never });
    return newPackage({ grams: 100, source_batch_id: batch.id });
  }
  async function withLabHolds(run: () => Promise<void>) {
    await db.setting.upsert({
      where: { key: "lab_state_holds" },
      create: { key: "lab_state_holds", value: { enabled: true } },
      update: { value: { enabled: true } },
    });
    try {
      await run();
    } finally {
      await db.setting.delete({ where: { key: "lab_state_holds" } });
    }
  }

  it("apex-decrement, complete-order, set-packed and sync refuse untested stock with 409 lab_hold", async () => {
    await withLabHolds(async () => {
      const metrc = await heldPackage();
      const attempts: [Handler, string, unknown][] = [
        [apexDecrementRoute.POST, "apex-decrement", { sku: "singles_1g", units: 1, idempotency_key: "lab-1" }],
        [completeRoute.POST, "complete-order", { grams: 1 }],
        [setPackedRoute.POST, "set-packed", { grams: 5 }],
        [syncRoute.POST, "sync", { ordered_grams: 5 }],
        [syncRoute.POST, "sync", { packed_grams: 5 }],
      ];
      for (const [handler, action, body] of attempts) {
        const res = await post(handler, metrc, action, body);
        expect(res.status, `${action} ${res.text}`).toBe(409);
        expect(res.json).toMatchObject({ code: "lab_hold", error: "Package is on lab hold: its batch has not passed testing" });
      }
      const fg = await row(metrc);
      expect(fg).toMatchObject({ current_grams: 100, grams_packed: 0, grams_ordered: 0 });
      expect(await db.apexDecrement.count({ where: { metrc_number: metrc } })).toBe(0);
    });
  });

  it("lowering tracked grams stays allowed, and an admin overrides with a reason", async () => {
    await withLabHolds(async () => {
      const metrc = await heldPackage();
      await db.finishedGood.update({ where: { metrc_number: metrc }, data: { grams_ordered: 20 } });
      expect((await post(syncRoute.POST, metrc, "sync", { ordered_grams: 10 })).status).toBe(200);
      const admin = await post(
        completeRoute.POST,
        metrc,
        "complete-order",
        { grams: 10, override_reason: "COA pending, customer ok" },
        p.headers.admin,
      );
      expect(admin.status, admin.text).toBe(200);
      expect((await row(metrc)).lab_override_reason).toBe("COA pending, customer ok");
    });
  });
});

describe("item 11: custom SKU changes never leave holds unresolved", () => {
  const custom = { cannadart: { name: "CannaDart 0.8g", grams_per_unit: 0.8, pack_size: 1 } };
  function upsert(metrc: string, sku_def: object) {
    return call(customSkusRoute.PUT, {
      method: "PUT",
      path: `/api/finished-goods/${metrc}/custom-skus`,
      params: { metrc },
      headers: p.headers.apiKey,
      body: { sku_key: "cannadart", sku_def },
    });
  }

  it("renaming or re-weighing a held custom SKU is a 409 naming the holds; the SKU is unchanged", async () => {
    const metrc = await newPackage({ grams: 100, custom_skus: custom });
    const holdId = await hold(metrc, "CannaDart 0.8g", 50);
    for (const def of [
      { name: "CannaDart Mini", grams_per_unit: 0.8, pack_size: 1 },
      { name: "CannaDart 0.8g", grams_per_unit: 0.5, pack_size: 1 },
    ]) {
      const res = await upsert(metrc, def);
      expect(res.status, res.text).toBe(409);
      expect(res.json.code).toBe("sku_has_holds");
      expect(res.json.error).toContain(holdId);
      expect(res.json.details.holds).toEqual([{ hold_id: holdId, sku_name: "CannaDart 0.8g", quantity: 50 }]);
    }
    expect((await row(metrc)).custom_skus).toEqual(custom);
  });

  it("without holds the same change is accepted", async () => {
    const metrc = await newPackage({ grams: 100, custom_skus: custom });
    const res = await upsert(metrc, { name: "CannaDart Mini", grams_per_unit: 0.8, pack_size: 1 });
    expect(res.status, res.text).toBe(200);
  });
});
