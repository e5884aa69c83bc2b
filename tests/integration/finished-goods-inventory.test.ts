import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseEventPayload, type EventType } from "@/lib/events/catalogue";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { deductGrams } from "@/lib/domain/finished-goods/deduct-grams";
import { addGrams } from "@/lib/domain/finished-goods/add-grams";
import * as listRoute from "@/app/api/finished-goods/route";
import * as deductRoute from "@/app/api/finished-goods/[metrc]/deduct/route";
import * as addRoute from "@/app/api/finished-goods/[metrc]/add/route";
import * as overrideRoute from "@/app/api/finished-goods/[metrc]/physical-override/route";
import * as orderRoute from "@/app/api/finished-goods/[metrc]/order/route";
import * as setOrderedRoute from "@/app/api/finished-goods/[metrc]/set-ordered/route";
import * as setPackedRoute from "@/app/api/finished-goods/[metrc]/set-packed/route";
import * as syncRoute from "@/app/api/finished-goods/[metrc]/sync/route";
import * as completeRoute from "@/app/api/finished-goods/[metrc]/complete-order/route";
import * as packRoute from "@/app/api/finished-goods/[metrc]/pack/route";
import * as batchesRoute from "@/app/api/batches/route";
import * as settingsRoute from "@/app/api/settings/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

type Handler = Parameters<typeof call>[0];

async function createPackage(overrides: Parameters<typeof buildFinishedGood>[0] = {}) {
  const res = await call(listRoute.POST, {
    method: "POST",
    path: "/api/finished-goods/",
    headers: p.headers.apiKey,
    body: buildFinishedGood(overrides),
  });
  expect(res.status, res.text).toBe(201);
  return res.json.package.metrc_number as string;
}

function post(handler: Handler, metrc: string, action: string, body: unknown, headers?: Record<string, string>) {
  return call(handler, {
    method: "POST",
    path: `/api/finished-goods/${metrc}/${action}`,
    params: { metrc },
    headers: headers ?? p.headers.apiKey,
    body,
  });
}

const row = (metrc: string) => db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
const historyOf = (metrc: string) => db.finishedGoodHistory.findMany({ where: { metrc_number: metrc }, orderBy: { id: "asc" } });

async function eventsFor(type: EventType, metrc: string) {
  const rows = await db.event.findMany({ where: { type }, orderBy: { id: "asc" } });
  return rows.map((r) => parseEventPayload(type, r.payload) as { metrc_number?: string }).filter((e) => e.metrc_number === metrc) as Record<
    string,
    unknown
  >[];
}

describe("deduct and add", () => {
  it("deducts grams: {success, metrc_number, previous_grams, current_grams, deducted_grams}, history, audit, event", async () => {
    const metrc = await createPackage({ grams: 100 });
    const res = await post(deductRoute.POST, metrc, "deduct", { grams: 12.5, reason: "sold" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, metrc_number: metrc, previous_grams: 100, current_grams: 87.5, deducted_grams: 12.5 });
    const history = await historyOf(metrc);
    expect(history.at(-1)).toMatchObject({
      change_type: "deduct",
      grams_changed: -12.5,
      current_grams: 87.5,
      reason: "sold",
      actor: "api-key:ApexAPI",
    });
    const audit = await db.auditLog.findMany({ where: { entity: "finished_good", entity_id: metrc, field: "current_grams" } });
    expect(audit.map((a) => [a.old, a.new])).toContainEqual(["100", "87.5"]);
    expect(await eventsFor("finished_good.deducted", metrc)).toEqual([
      { metrc_number: metrc, strain: "Blue Dream", previous_grams: 100, current_grams: 87.5, grams: 12.5, reason: "sold" },
    ]);
  });

  it("takes units + unit_size for every contract size (6pack = 3 g, 12pack = 6 g), to the milligram", async () => {
    const metrc = await createPackage({ grams: 100 });
    const sizes: [string, number, number][] = [
      ["0.5g", 4, 2],
      ["0.7g", 3, 2.1],
      ["0.8g", 5, 4],
      ["1.0g", 2, 2],
      ["6pack", 1, 3],
      ["12pack", 2, 12],
    ];
    let expected = 100;
    for (const [unit_size, units, grams] of sizes) {
      const res = await post(deductRoute.POST, metrc, "deduct", { units, unit_size });
      expected = Math.round((expected - grams) * 1000) / 1000;
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ deducted_grams: grams, current_grams: expected });
    }
    expect((await row(metrc)).current_grams).toBe(74.9);
    const added = await post(addRoute.POST, metrc, "add", { units: 3, unit_size: "0.7g" });
    expect(added.json).toMatchObject({ success: true, previous_grams: 74.9, current_grams: 77, added_grams: 2.1 });
  });

  // Unknown fields are ignored on contract routes, as the old server did (contract-tolerance.test.ts).
  it("400 'Invalid unit_size', 400 without grams or units, 400 for bad grams", async () => {
    const metrc = await createPackage({ grams: 50 });
    for (const handler of [deductRoute.POST, addRoute.POST]) {
      const action = handler === deductRoute.POST ? "deduct" : "add";
      const badSize = await post(handler, metrc, action, { units: 2, unit_size: "2g" });
      expect(badSize.status).toBe(400);
      expect(badSize.json).toMatchObject({ error: "Invalid unit_size", code: "invalid_unit_size" });
      const noSize = await post(handler, metrc, action, { units: 2 });
      expect(noSize.json.error).toBe("Invalid unit_size");
      const nothing = await post(handler, metrc, action, { reason: "x" });
      expect(nothing.status).toBe(400);
      expect(nothing.json.error).toBe("grams or units with unit_size is required");
      for (const body of [
        { grams: 0 },
        { grams: -1 },
        { grams: "5" },
        { units: 1.5, unit_size: "0.5g" },
        { grams: 1, units: 2, unit_size: "0.5g" },
      ]) {
        const res = await post(handler, metrc, action, body);
        expect(res.status, `${action} ${JSON.stringify(body)}`).toBe(400);
        expect(typeof res.json.error).toBe("string");
      }
    }
    expect((await row(metrc)).current_grams).toBe(50);
    expect(await historyOf(metrc)).toHaveLength(1);
  });

  it("404 'Package not found' for an unknown package", async () => {
    for (const [handler, action] of [
      [deductRoute.POST, "deduct"],
      [addRoute.POST, "add"],
      [packRoute.POST, "pack"],
      [orderRoute.POST, "order"],
      [completeRoute.POST, "complete-order"],
      [overrideRoute.POST, "physical-override"],
    ] as const) {
      const body = action === "physical-override" ? { physical_grams: 1 } : { grams: 1 };
      const res = await post(handler, "1A4000000000000000000000", action, body);
      expect(res.status, action).toBe(404);
      expect(res.json).toEqual({ error: "Package not found", code: "package_not_found" });
    }
  });

  it("409 'Insufficient grams available' with details.available_grams; nothing changes", async () => {
    const metrc = await createPackage({ grams: 5 });
    const res = await post(deductRoute.POST, metrc, "deduct", { grams: 5.001 });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      error: "Insufficient grams available",
      code: "insufficient_grams",
      details: { available_grams: 5, requested_grams: 5.001 },
    });
    expect((await row(metrc)).current_grams).toBe(5);
    expect(await historyOf(metrc)).toHaveLength(1);
    expect(await eventsFor("finished_good.deducted", metrc)).toEqual([]);
  });

  it("a package at 0 g is depleted; adding grams makes it active again", async () => {
    const metrc = await createPackage({ grams: 3 });
    const res = await post(deductRoute.POST, metrc, "deduct", { units: 1, unit_size: "6pack" });
    expect(res.json).toMatchObject({ current_grams: 0, status: "depleted" });
    expect((await row(metrc)).status).toBe("depleted");
    expect((await historyOf(metrc)).at(-1)).toMatchObject({ change_type: "deduct", status: "depleted" });
    expect((await post(deductRoute.POST, metrc, "deduct", { grams: 0.5 })).status).toBe(409);
    const added = await post(addRoute.POST, metrc, "add", { grams: 1.5, reason: "recount" });
    expect(added.json).toMatchObject({ success: true, previous_grams: 0, current_grams: 1.5, added_grams: 1.5, status: "active" });
    expect(await eventsFor("finished_good.added", metrc)).toEqual([
      { metrc_number: metrc, strain: "Blue Dream", previous_grams: 0, current_grams: 1.5, grams: 1.5, reason: "recount" },
    ]);
    expect((await historyOf(metrc)).map((h) => [h.change_type, h.status])).toEqual([
      ["created", "active"],
      ["deduct", "depleted"],
      ["add", "active"],
    ]);
  });

  it("viewers cannot move grams (403)", async () => {
    const metrc = await createPackage({ grams: 5 });
    expect((await post(deductRoute.POST, metrc, "deduct", { grams: 1 }, p.headers.viewer)).status).toBe(403);
  });
});

describe("physical override", () => {
  it("sets and clears the override: {success, physical_grams_override, effective_grams, current_grams, has_physical_override}", async () => {
    const metrc = await createPackage({ grams: 45 });
    const set = await post(
      overrideRoute.POST,
      metrc,
      "physical-override",
      { physical_grams: 42, reason: "3g breakage" },
      p.headers.operator,
    );
    expect(set.status).toBe(200);
    expect(set.json).toEqual({
      success: true,
      metrc_number: metrc,
      physical_grams_override: 42,
      effective_grams: 42,
      current_grams: 45,
      has_physical_override: true,
    });
    const cleared = await post(overrideRoute.POST, metrc, "physical-override", { physical_grams: null }, p.headers.operator);
    expect(cleared.json).toMatchObject({
      physical_grams_override: null,
      effective_grams: 45,
      current_grams: 45,
      has_physical_override: false,
    });
    const history = await historyOf(metrc);
    expect(history.slice(1).map((h) => [h.change_type, h.reason])).toEqual([
      ["override", "3g breakage"],
      ["override", null],
    ]);
    expect(await eventsFor("finished_good.overridden", metrc)).toEqual([
      { metrc_number: metrc, strain: "Blue Dream", physical_grams_override: 42, effective_grams: 42 },
      { metrc_number: metrc, strain: "Blue Dream", physical_grams_override: null, effective_grams: 45 },
    ]);
  });

  it("400 'physical_grams is required'; negative and text values are 400", async () => {
    const metrc = await createPackage({ grams: 45 });
    const missing = await post(overrideRoute.POST, metrc, "physical-override", { reason: "x" });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("physical_grams is required");
    for (const body of [{ physical_grams: -1 }, { physical_grams: "42" }]) {
      expect((await post(overrideRoute.POST, metrc, "physical-override", body)).status).toBe(400);
    }
  });
});

describe("order lifecycle", () => {
  it("order reserves grams, set-ordered / set-packed replace totals, sync sets both; current unchanged", async () => {
    const metrc = await createPackage({ grams: 1000 });
    const order = await post(orderRoute.POST, metrc, "order", { grams: 200, reason: "PO-1" });
    expect(order.json).toMatchObject({ success: true, metrc_number: metrc, grams_ordered: 200, current_grams: 1000 });
    const again = await post(orderRoute.POST, metrc, "order", { grams: 50 });
    expect(again.json.grams_ordered).toBe(250);
    const setOrdered = await post(setOrderedRoute.POST, metrc, "set-ordered", { grams: 120 });
    expect(setOrdered.json).toEqual({ success: true, metrc_number: metrc, grams_ordered: 120 });
    const setPacked = await post(setPackedRoute.POST, metrc, "set-packed", { grams: 30 });
    expect(setPacked.json).toEqual({ success: true, metrc_number: metrc, grams_packed: 30 });
    const sync = await post(syncRoute.POST, metrc, "sync", { ordered_grams: 300, packed_grams: 40, reason: "apex" });
    expect(sync.json).toEqual({ success: true, metrc_number: metrc, grams_ordered: 300, grams_packed: 40 });
    const syncOne = await post(syncRoute.POST, metrc, "sync", { packed_grams: 0 });
    expect(syncOne.json).toEqual({ success: true, metrc_number: metrc, grams_ordered: 300, grams_packed: 0 });
    expect(await row(metrc)).toMatchObject({ current_grams: 1000, grams_ordered: 300, grams_packed: 0, grams_packed_lifetime: 0 });
    expect((await historyOf(metrc)).slice(1).map((h) => [h.change_type, h.grams_ordered, h.grams_packed, h.current_grams])).toEqual([
      ["order", 200, 0, 1000],
      ["order", 250, 0, 1000],
      ["set_ordered", 120, 0, 1000],
      ["set_packed", 120, 30, 1000],
      ["sync", 300, 40, 1000],
      ["sync", 300, 0, 1000],
    ]);
    const events = await eventsFor("finished_good.ordered", metrc);
    expect(events.map((e) => [e.action, e.grams_ordered, e.grams_packed])).toEqual([
      ["order", 200, 0],
      ["order", 250, 0],
      ["set_ordered", 120, 0],
      ["set_packed", 120, 30],
      ["sync", 300, 40],
      ["sync", 300, 0],
    ]);
  });

  it("validates: 'grams is required', sync needs one of its fields, totals ≥ 0, order grams > 0", async () => {
    const metrc = await createPackage({ grams: 100 });
    for (const [handler, action] of [
      [orderRoute.POST, "order"],
      [setOrderedRoute.POST, "set-ordered"],
      [setPackedRoute.POST, "set-packed"],
      [completeRoute.POST, "complete-order"],
      [packRoute.POST, "pack"],
    ] as const) {
      const res = await post(handler, metrc, action, { reason: "no grams" });
      expect(res.status, action).toBe(400);
      expect(res.json).toMatchObject({ error: "grams is required", code: "validation_failed" });
      expect((await post(handler, metrc, action, { grams: -1 })).status).toBe(400);
    }
    expect((await post(orderRoute.POST, metrc, "order", { grams: 0 })).status).toBe(400);
    expect((await post(setOrderedRoute.POST, metrc, "set-ordered", { grams: 0 })).status).toBe(200);
    const sync = await post(syncRoute.POST, metrc, "sync", { reason: "nothing" });
    expect(sync.status).toBe(400);
    expect(sync.json.error).toBe("At least one of ordered_grams or packed_grams required");
    expect((await post(syncRoute.POST, metrc, "sync", { ordered_grams: -5 })).status).toBe(400);
  });

  it("complete-order lowers ordered (not below 0), raises fulfilled, reduces current", async () => {
    const metrc = await createPackage({ grams: 100 });
    await post(orderRoute.POST, metrc, "order", { grams: 30 });
    const res = await post(completeRoute.POST, metrc, "complete-order", { grams: 20, order_id: 4711, reason: "shipped" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      metrc_number: metrc,
      previous_grams_ordered: 30,
      current_grams_ordered: 10,
      previous_grams_fulfilled: 0,
      current_grams_fulfilled: 20,
      current_grams: 80,
    });
    const more = await post(completeRoute.POST, metrc, "complete-order", { grams: 15, order_id: "A-2" });
    expect(more.json).toMatchObject({
      previous_grams_ordered: 10,
      current_grams_ordered: 0,
      current_grams_fulfilled: 35,
      current_grams: 65,
    });
    expect(await eventsFor("finished_good.order_completed", metrc)).toEqual([
      { metrc_number: metrc, strain: "Blue Dream", previous_grams: 100, current_grams: 80, grams: 20, reason: "shipped", order_id: "4711" },
      { metrc_number: metrc, strain: "Blue Dream", previous_grams: 80, current_grams: 65, grams: 15, reason: null, order_id: "A-2" },
    ]);
    expect((await historyOf(metrc)).at(-1)).toMatchObject({
      change_type: "complete_order",
      grams_changed: -15,
      current_grams: 65,
      grams_fulfilled: 35,
    });
    const short = await post(completeRoute.POST, metrc, "complete-order", { grams: 65.5 });
    expect(short.status).toBe(409);
    expect(short.json).toMatchObject({ error: "Insufficient grams available", details: { available_grams: 65 } });
    expect(await row(metrc)).toMatchObject({ current_grams: 65, grams_fulfilled: 35, grams_ordered: 0 });
    const all = await post(completeRoute.POST, metrc, "complete-order", { grams: 65 });
    expect(all.json.current_grams).toBe(0);
    expect((await row(metrc)).status).toBe("depleted");
  });

  it("pack reduces current, raises packed and packed_lifetime; insufficient → 409", async () => {
    const metrc = await createPackage({ grams: 10 });
    const res = await post(packRoute.POST, metrc, "pack", { grams: 6, reason: "12-pack" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, metrc_number: metrc, previous_grams: 10, current_grams: 4, grams_packed: 6 });
    await post(setPackedRoute.POST, metrc, "set-packed", { grams: 0 });
    const second = await post(packRoute.POST, metrc, "pack", { grams: 4 });
    expect(second.json).toMatchObject({ current_grams: 0, grams_packed: 4, grams_packed_lifetime: 10 });
    expect(await row(metrc)).toMatchObject({ status: "depleted", grams_packed_lifetime: 10 });
    const short = await post(packRoute.POST, metrc, "pack", { grams: 0.5 });
    expect(short.status).toBe(409);
    expect(short.json.error).toBe("Insufficient grams available");
    expect(await eventsFor("finished_good.packed", metrc)).toEqual([
      { metrc_number: metrc, strain: "Blue Dream", previous_grams: 10, current_grams: 4, grams: 6, reason: "12-pack" },
      { metrc_number: metrc, strain: "Blue Dream", previous_grams: 4, current_grams: 0, grams: 4, reason: null },
    ]);
    expect((await historyOf(metrc)).filter((h) => h.change_type === "pack").map((h) => [h.grams_changed, h.grams_packed])).toEqual([
      [-6, 6],
      [-4, 4],
    ]);
  });
});

describe("lab-state holds", () => {
  async function setLabHolds(enabled: boolean) {
    const res = await call(settingsRoute.PUT, {
      method: "PUT",
      path: "/api/settings",
      headers: p.headers.admin,
      body: { lab_state_holds: { enabled } },
    });
    expect(res.status, res.text).toBeLessThan(300);
  }

  async function packageFromBatch(testing_status: string) {
    const batch = await call(batchesRoute.POST, {
      method: "POST",
      path: "/api/batches",
      headers: p.headers.apiKey,
      body: buildBatch({ testing_status: testing_status as never }),
    });
    expect(batch.status).toBe(201);
    return createPackage({ grams: 20, source_batch_id: batch.json.batch.id });
  }

  it("is off by default: untested stock moves", async () => {
    const metrc = await packageFromBatch("sample_sent");
    expect((await post(deductRoute.POST, metrc, "deduct", { grams: 1 })).status).toBe(200);
  });

  it("when enabled, refuses deduct/pack of untested stock (409) unless an admin overrides with a reason", async () => {
    await setLabHolds(true);
    try {
      const held = await packageFromBatch("sample_sent");
      const passed = await packageFromBatch("test_passed");
      const unlinked = await createPackage({ grams: 20 });

      for (const [handler, action] of [
        [deductRoute.POST, "deduct"],
        [packRoute.POST, "pack"],
      ] as const) {
        const refused = await post(handler, held, action, { grams: 1 });
        expect(refused.status, action).toBe(409);
        expect(refused.json).toMatchObject({ code: "lab_hold", details: { testing_status: "sample_sent" } });
        expect(typeof refused.json.error).toBe("string");
        const operatorOverride = await post(handler, held, action, { grams: 1, override_reason: "customer sample" }, p.headers.operator);
        expect(operatorOverride.status).toBe(409);
        const adminNoReason = await post(handler, held, action, { grams: 1 }, p.headers.admin);
        expect(adminNoReason.status).toBe(409);
        const admin = await post(handler, held, action, { grams: 1, override_reason: "R&D sample, QA approved" }, p.headers.admin);
        expect(admin.status, action).toBe(200);
        expect((await post(handler, passed, action, { grams: 1 })).status).toBe(200);
        expect((await post(handler, unlinked, action, { grams: 1 })).status).toBe(200);
      }
      expect(await row(held)).toMatchObject({ current_grams: 18, lab_override_reason: "R&D sample, QA approved" });
      const overrides = (await historyOf(held)).filter((h) => (h.details as Record<string, unknown>).lab_override_reason);
      expect(overrides.map((h) => h.change_type)).toEqual(["deduct", "pack"]);
      // Adding stock is never held.
      expect((await post(addRoute.POST, held, "add", { grams: 1 })).status).toBe(200);
    } finally {
      await setLabHolds(false);
    }
  });
});

describe("physical override moves with the grams", () => {
  it("a deduct lowers the shelf count too, so effective grams (what Apex is told) drop at once; add raises it", async () => {
    const fg = await db.finishedGood.create({
      data: {
        metrc_number: "1A40603000000000000FF001",
        strain: "Runtz",
        initial_grams: 100,
        current_grams: 100,
        physical_grams_override: 90,
      },
    });
    const ctx = { actor: "t", traceId: "trace-override", source: "api" };
    await deductGrams(ctx, fg.metrc_number, { grams: 10 } as never);
    let row = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect([row.current_grams, row.physical_grams_override]).toEqual([90, 80]);
    await addGrams(ctx, fg.metrc_number, { grams: 5 } as never);
    row = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: fg.metrc_number } });
    expect([row.current_grams, row.physical_grams_override]).toEqual([95, 85]);
    const audit = await db.auditLog.findMany({
      where: { entity_id: fg.metrc_number, field: "physical_grams_override" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.old, a.new])).toEqual([
      ["90", "80"],
      ["80", "85"],
    ]);
  });
});
