import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseEventPayload, type EventType } from "@/lib/events/catalogue";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import { buildOutcome } from "@/prisma/seed/centrifuge";
import * as batchesRoute from "@/app/api/batches/route";
import * as batchRoute from "@/app/api/batches/[id]/route";
import * as settingsRoute from "@/app/api/settings/route";
import * as calculateRoute from "@/app/api/centrifuge/calculate/route";
import * as compareRoute from "@/app/api/centrifuge/compare/route";
import * as curveRoute from "@/app/api/centrifuge/curve-data/route";
import * as guideRoute from "@/app/api/centrifuge/settings-guide/route";
import * as impulseRoute from "@/app/api/centrifuge/impulse-calculate/route";
import * as targetRoute from "@/app/api/centrifuge/target-match/route";
import * as batchComparisonRoute from "@/app/api/centrifuge/batch-comparison/route";
import * as zonesRoute from "@/app/api/centrifuge/impulse-zones/route";
import * as outcomesRoute from "@/app/api/centrifuge/outcomes/route";
import * as trendsRoute from "@/app/api/centrifuge/trends/[strain]/route";
import * as trendsAliasRoute from "@/app/api/centrifuge-trends/[strain]/route";
import * as unifiedRoute from "@/app/api/centrifuge-recommendations-unified/[strain]/route";
import * as historyRoute from "@/app/api/centrifuge-history/[strain]/route";
import * as batchCentrifugeRoute from "@/app/api/batch/[id]/centrifuge/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

type Headers = Record<string, string>;
const post = (
  handler: Parameters<typeof call>[0],
  path: string,
  body: unknown,
  headers: Headers = p.headers.apiKey,
  params?: Record<string, string>,
) => call(handler, { method: "POST", path, body, headers, params });
const get = (handler: Parameters<typeof call>[0], path: string, params?: Record<string, string>, headers: Headers = p.headers.viewer) =>
  call(handler, { path, params, headers });

async function newBatch(overrides = {}) {
  const res = await post(batchesRoute.POST, "/api/batches", buildBatch(overrides));
  expect(res.status).toBe(201);
  return res.json.batch as { id: string; strain: string };
}

/** Every event of `type` since `afterId`, each payload checked against the catalogue. */
async function eventsOf(type: EventType, afterId = 0) {
  const rows = await db.event.findMany({ where: { type, id: { gt: afterId } }, orderBy: { id: "asc" } });
  return rows.map((r) => parseEventPayload(type, r.payload) as Record<string, unknown>);
}
const lastEventId = async () => (await db.event.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;

function expectFieldError(res: { status: number; json: { code: string; details: { fields: Record<string, string[]> } } }, field: string) {
  expect(res.status).toBe(400);
  expect(res.json.code).toBe("validation_failed");
  expect(res.json.details.fields[field], JSON.stringify(res.json)).toBeDefined();
}

describe("centrifuge calculators", () => {
  it("calculate: the contract's shape, physical g-force and the rpm safety zone", async () => {
    const res = await post(calculateRoute.POST, "/api/centrifuge/calculate", { rpm: 2200, centrifuge_type: "silver_bullet" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      rpm: 2200,
      centrifuge_type: "silver_bullet",
      g_force: 567,
      radius_inches: 4.125,
      safety_zone: "safe",
      within_machine_limits: true,
    });
    const lab = await post(
      calculateRoute.POST,
      "/api/centrifuge/calculate",
      { rpm: "4200", centrifuge_type: "lab_geek" },
      p.headers.viewer,
    );
    expect(lab.json).toMatchObject({ g_force: 2504.6, safety_zone: "danger", radius_inches: 5 });
    expect((await post(calculateRoute.POST, "/api/centrifuge/calculate", { rpm: 6000 })).json).toMatchObject({
      centrifuge_type: "silver_bullet",
      within_machine_limits: false,
    });
  });

  it("calculate: 400 with details.fields for a bad rpm or an unknown machine", async () => {
    expectFieldError(await post(calculateRoute.POST, "/api/centrifuge/calculate", { rpm: 0 }), "rpm");
    expectFieldError(await post(calculateRoute.POST, "/api/centrifuge/calculate", {}), "rpm");
    expectFieldError(await post(calculateRoute.POST, "/api/centrifuge/calculate", { rpm: "fast" }), "rpm");
    expectFieldError(
      await post(calculateRoute.POST, "/api/centrifuge/calculate", { rpm: 2000, centrifuge_type: "salad_spinner" }),
      "centrifuge_type",
    );
  });

  it("compare: the speed the other machine needs for the same g-force", async () => {
    const res = await post(compareRoute.POST, "/api/centrifuge/compare", { rpm: 2200, source_centrifuge: "silver_bullet" });
    expect(res.status).toBe(200);
    // same g on 5.0 in: 2200 × √(4.125/5) = 1998.27 → 1998 rpm
    expect(res.json).toMatchObject({
      success: true,
      source: { centrifuge: "silver_bullet", rpm: 2200, g_force: 567 },
      equivalent: { lab_geek: { rpm: 1998, within_limits: true } },
    });
    expect(res.json.equivalent.lab_geek.g_force).toBeCloseTo(566.8, 1);
    expect(res.json.equivalent).not.toHaveProperty("silver_bullet");
    expectFieldError(
      await post(compareRoute.POST, "/api/centrifuge/compare", { rpm: 2200, source_centrifuge: "nope" }),
      "source_centrifuge",
    );
  });

  it("curve-data: defaults 500–5000 step 100; bounds validated", async () => {
    const res = await get(curveRoute.GET, "/api/centrifuge/curve-data?centrifuge=lab_geek");
    expect(res.status).toBe(200);
    expect(res.json.success).toBe(true);
    expect(res.json.centrifuge).toBe("lab_geek");
    expect(res.json.data).toHaveLength(46);
    expect(res.json.data[0]).toEqual({ rpm: 500, g_force: 35.5 });
    const narrow = await get(curveRoute.GET, "/api/centrifuge/curve-data?rpm_min=2000&rpm_max=2200&step=100");
    expect(narrow.json).toMatchObject({ centrifuge: "silver_bullet", data: [{ rpm: 2000 }, { rpm: 2100 }, { rpm: 2200, g_force: 567 }] });
    expectFieldError(await get(curveRoute.GET, "/api/centrifuge/curve-data?rpm_min=3000&rpm_max=1000"), "rpm_max");
    expectFieldError(await get(curveRoute.GET, "/api/centrifuge/curve-data?step=0"), "step");
    expectFieldError(await get(curveRoute.GET, "/api/centrifuge/curve-data?centrifuge=nope"), "centrifuge");
  });

  it("settings-guide: standard material 1800–2500 rpm, 10–20 s, 2 cycles, with zones and machines", async () => {
    const res = await get(guideRoute.GET, "/api/centrifuge/settings-guide", undefined, p.headers.apiKey);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      material: "standard",
      recommendations: { rpm_range: { min: 1800, max: 2500 }, time_range_seconds: { min: 10, max: 20 }, cycles: 2 },
      safety_zones: [
        { key: "safe", max_rpm: 3000 },
        { key: "caution", max_rpm: 4000 },
        { key: "danger", max_rpm: 5000 },
      ],
      centrifuges: {
        silver_bullet: { name: "Silver Bullet", radius_inches: 4.125, min_rpm: 500, max_rpm: 5000 },
        lab_geek: { name: "Lab Geek", radius_inches: 5, max_rpm: 4500 },
      },
    });
    const other = await get(guideRoute.GET, "/api/centrifuge/settings-guide?material=Sticky");
    expect(other.json).toMatchObject({ material: "standard", requested_material: "sticky" });
  });

  it("impulse-calculate: 2200 rpm, 15 s, 1 g on the Silver Bullet is 83.4 N·s, optimal (defaults apply)", async () => {
    const res = await post(impulseRoute.POST, "/api/centrifuge/impulse-calculate", { rpm: 2200 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, data: { g_force: 567, impulse_newton_seconds: 83.4, impulse_zone: "optimal" } });
    expect(Object.keys(res.json.data.impulse_zones)).toEqual(["light", "moderate", "optimal", "heavy"]);
    const light = await post(impulseRoute.POST, "/api/centrifuge/impulse-calculate", {
      rpm: 1200,
      time_seconds: 10,
      weight_grams: 0.5,
      centrifuge_type: "lab_geek",
    });
    expect(light.json.data.impulse_zone).toBe("light");
    expectFieldError(await post(impulseRoute.POST, "/api/centrifuge/impulse-calculate", { rpm: 2200, time_seconds: -1 }), "time_seconds");
  });

  it("target-match: solves rpm or time within the machine's bounds", async () => {
    const rpm = await post(targetRoute.POST, "/api/centrifuge/target-match", {
      target_impulse: 83.4,
      adjust_mode: "rpm",
      time_seconds: 15,
    });
    expect(rpm.status).toBe(200);
    expect(rpm.json).toMatchObject({
      success: true,
      data: {
        target_impulse: 83.4,
        adjust_mode: "rpm",
        recommended_rpm: 2200,
        time_seconds: 15,
        achieved_impulse: 83.4,
        g_force: 567,
        achievable: true,
      },
    });
    const time = await post(targetRoute.POST, "/api/centrifuge/target-match", { target_impulse: 166.8, adjust_mode: "time", rpm: 2200 });
    expect(time.json.data).toMatchObject({ adjust_mode: "time", recommended_time: 30, time_seconds: 30, rpm: 2200 });
    expect(time.json.data).not.toHaveProperty("recommended_rpm");
    const capped = await post(targetRoute.POST, "/api/centrifuge/target-match", { target_impulse: 2000, centrifuge_type: "lab_geek" });
    expect(capped.json.data).toMatchObject({ recommended_rpm: 4500, achievable: false, limited_by: "max_rpm" });
    expectFieldError(await post(targetRoute.POST, "/api/centrifuge/target-match", { adjust_mode: "rpm" }), "target_impulse");
    expectFieldError(
      await post(targetRoute.POST, "/api/centrifuge/target-match", { target_impulse: 80, adjust_mode: "speed" }),
      "adjust_mode",
    );
  });

  it("batch-comparison: impulse per fill weight at one setting", async () => {
    const res = await post(batchComparisonRoute.POST, "/api/centrifuge/batch-comparison", {
      rpm: 2200,
      time_seconds: 15,
      centrifuge_type: "silver_bullet",
      batch_weights: [0.5, 1.0],
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      data: {
        g_force: 567,
        comparisons: [
          { weight_grams: 0.5, impulse_newton_seconds: 41.7, impulse_zone: "moderate" },
          { weight_grams: 1, impulse_newton_seconds: 83.4, impulse_zone: "optimal" },
        ],
      },
    });
    const sizes = await post(batchComparisonRoute.POST, "/api/centrifuge/batch-comparison", { rpm: 2200 });
    expect(sizes.json.data.comparisons.map((c: { weight_grams: number }) => c.weight_grams)).toEqual([0.5, 0.7, 1]);
    expectFieldError(
      await post(batchComparisonRoute.POST, "/api/centrifuge/batch-comparison", { rpm: 2200, batch_weights: [1, -2] }),
      "batch_weights.1",
    );
  });

  it("impulse-zones: the setting; an admin can change it and calculations follow", async () => {
    const res = await get(zonesRoute.GET, "/api/centrifuge/impulse-zones");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      data: { light: { min: 0, max: 38.1 }, optimal: { min: 76.2, max: 114.3 }, heavy: { min: 114.3, max: 254 } },
    });
    const zones = [
      { key: "soft", label: "Soft", min: 0, max: 90 },
      { key: "firm", label: "Firm", min: 90, max: 300 },
    ];
    const bad = await call(settingsRoute.PUT, {
      method: "PUT",
      path: "/api/settings",
      headers: p.headers.admin,
      body: {
        impulse_zones: [
          { key: "a", label: "A", min: 0, max: 10 },
          { key: "b", label: "B", min: 20, max: 30 },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const put = await call(settingsRoute.PUT, {
      method: "PUT",
      path: "/api/settings",
      headers: p.headers.admin,
      body: { impulse_zones: zones },
    });
    expect(put.status).toBe(200);
    try {
      expect((await post(impulseRoute.POST, "/api/centrifuge/impulse-calculate", { rpm: 2200 })).json.data.impulse_zone).toBe("soft");
      expect(Object.keys((await get(zonesRoute.GET, "/api/centrifuge/impulse-zones")).json.data)).toEqual(["soft", "firm"]);
    } finally {
      await db.setting.delete({ where: { key: "impulse_zones" } });
    }
  });
});

describe("POST /api/batch/{id}/centrifuge", () => {
  it("saves the five fields: {status:'success'}, one audit row per change, batch.centrifuge_updated", async () => {
    const batch = await newBatch({ strain: "Gelato 41" });
    const after = await lastEventId();
    const body = {
      centrifuge_rpm: 1975,
      centrifuge_time_seconds: 12,
      centrifuge_cycles: 2,
      centrifuge_fill_gauge_cycle1: 3,
      centrifuge_fill_gauge_cycle2: 4,
    };
    const res = await post(batchCentrifugeRoute.POST, `/api/batch/${batch.id}/centrifuge`, body, p.headers.operator, { id: batch.id });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "success" });
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row).toMatchObject(body);
    const audit = await db.auditLog.findMany({ where: { entity_id: batch.id, field: { startsWith: "centrifuge_" } } });
    expect(audit.map((a) => [a.field, a.new, a.actor, a.label])).toEqual(
      expect.arrayContaining([
        ["centrifuge_rpm", "1975", "operator", "Gelato 41"],
        ["centrifuge_cycles", "2", "operator", "Gelato 41"],
      ]),
    );
    expect(audit).toHaveLength(5);
    const events = await eventsOf("batch.centrifuge_updated", after);
    expect(events).toEqual([{ batch_id: batch.id, strain: "Gelato 41", changed_fields: Object.keys(body) }]);

    // A resave of one unchanged and one changed value writes one audit row.
    const again = await post(
      batchCentrifugeRoute.POST,
      `/api/batch/${batch.id}/centrifuge`,
      { centrifuge_rpm: "1975", centrifuge_time_seconds: 14 },
      p.headers.operator,
      { id: batch.id },
    );
    expect(again.json.changed_fields).toEqual(["centrifuge_time_seconds"]);
    expect(await db.auditLog.count({ where: { entity_id: batch.id, field: { startsWith: "centrifuge_" } } })).toBe(6);
  });

  it("with size: writes centrifuge_settings_by_size[size], audited per value", async () => {
    const batch = await newBatch({ strain: "Runtz" });
    const res = await post(
      batchCentrifugeRoute.POST,
      `/api/batch/${batch.id}/centrifuge`,
      { size: "0_5", centrifuge_rpm: 2100, centrifuge_time_seconds: 10, centrifuge_cycles: 1, centrifuge_fill_gauge_cycle1: 3 },
      p.headers.operator,
      { id: batch.id },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "success", size: "0_5" });
    await post(batchCentrifugeRoute.POST, `/api/batch/${batch.id}/centrifuge`, { size: "1_0", centrifuge_rpm: 2300 }, p.headers.operator, {
      id: batch.id,
    });
    await post(batchCentrifugeRoute.POST, `/api/batch/${batch.id}/centrifuge`, { size: "0_5", centrifuge_rpm: 2150 }, p.headers.operator, {
      id: batch.id,
    });
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.centrifuge_rpm).toBeNull();
    expect(row.centrifuge_settings_by_size).toEqual({
      "0_5": { centrifuge_rpm: 2150, centrifuge_time_seconds: 10, centrifuge_cycles: 1, centrifuge_fill_gauge_cycle1: 3 },
      "1_0": { centrifuge_rpm: 2300 },
    });
    const audit = await db.auditLog.findMany({
      where: { entity_id: batch.id, field: "centrifuge_settings_by_size.0_5.centrifuge_rpm" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.old, a.new])).toEqual([
      [null, "2100"],
      ["2100", "2150"],
    ]);
  });

  it("validates the contract's ranges (400 with details.fields) and changes nothing", async () => {
    const batch = await newBatch();
    const before = await lastEventId();
    const url = `/api/batch/${batch.id}/centrifuge`;
    for (const [field, value] of [
      ["centrifuge_rpm", 2600],
      ["centrifuge_rpm", 499],
      ["centrifuge_time_seconds", 91],
      ["centrifuge_time_seconds", 0],
      ["centrifuge_cycles", 4],
      ["centrifuge_fill_gauge_cycle1", 13],
      ["centrifuge_fill_gauge_cycle2", 0.5],
      ["size", "2_0"],
    ] as const) {
      expectFieldError(
        await post(batchCentrifugeRoute.POST, url, { centrifuge_rpm: 2000, [field]: value }, p.headers.operator, { id: batch.id }),
        field,
      );
    }
    const empty = await post(batchCentrifugeRoute.POST, url, {}, p.headers.operator, { id: batch.id });
    expect(empty.status).toBe(400);
    expectFieldError(
      await post(batchCentrifugeRoute.POST, url, { centrifuge_machine: "blender" }, p.headers.operator, { id: batch.id }),
      "centrifuge_machine",
    );
    expect(await lastEventId()).toBe(before);
    const missing = await post(batchCentrifugeRoute.POST, "/api/batch/nope/centrifuge", { centrifuge_rpm: 2000 }, p.headers.operator, {
      id: "nope",
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Batch not found");
  });

  it("is session only (contract) and needs the operator role", async () => {
    const batch = await newBatch();
    expect(
      (
        await post(batchCentrifugeRoute.POST, `/api/batch/${batch.id}/centrifuge`, { centrifuge_rpm: 2000 }, p.headers.apiKey, {
          id: batch.id,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post(batchCentrifugeRoute.POST, `/api/batch/${batch.id}/centrifuge`, { centrifuge_rpm: 2000 }, p.headers.viewer, {
          id: batch.id,
        })
      ).status,
    ).toBe(403);
  });
});

describe("centrifuge history", () => {
  it("lists a strain's centrifuge changes from the audit trail, newest first, per size where saved per size", async () => {
    const a = await newBatch({ strain: "Wedding Cake" });
    const b = await newBatch({ strain: "wedding  cake" });
    const other = await newBatch({ strain: "Zkittlez" });
    await post(batchCentrifugeRoute.POST, `/api/batch/${a.id}/centrifuge`, { centrifuge_rpm: 2000 }, p.headers.operator, { id: a.id });
    await post(batchCentrifugeRoute.POST, `/api/batch/${b.id}/centrifuge`, { size: "0_7", centrifuge_rpm: 2100 }, p.headers.operator, {
      id: b.id,
    });
    await post(batchCentrifugeRoute.POST, `/api/batch/${other.id}/centrifuge`, { centrifuge_rpm: 1900 }, p.headers.operator, {
      id: other.id,
    });
    // A whole-object edit through PATCH /api/batches/{id} is split into its values.
    const bySize = { "1_0": { centrifuge_rpm: 2250, centrifuge_cycles: 2 } };
    const patched = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${a.id}`,
      params: { id: a.id },
      headers: p.headers.operator,
      body: { centrifuge_settings_by_size: bySize },
    });
    expect(patched.status).toBe(200);
    await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${a.id}`,
      params: { id: a.id },
      headers: p.headers.operator,
      body: { thc_percent: 30 },
    });

    const res = await get(historyRoute.GET, "/api/centrifuge-history/Wedding%20Cake", { strain: "Wedding Cake" }, p.headers.apiKey);
    expect(res.status).toBe(200);
    expect(res.json.strain).toBe("Wedding Cake");
    expect(res.json.total_changes).toBe(4);
    expect(res.json.history.map((h: Record<string, unknown>) => [h.batch_id, h.setting, h.size, h.old_value, h.new_value])).toEqual([
      [a.id, "centrifuge_cycles", "1_0", null, "2"],
      [a.id, "centrifuge_rpm", "1_0", null, "2250"],
      [b.id, "centrifuge_rpm", "0_7", null, "2100"],
      [a.id, "centrifuge_rpm", null, null, "2000"],
    ]);
    expect(res.json.history[0]).toMatchObject({
      actor: "operator",
      timestamp: expect.any(String),
      field: "centrifuge_settings_by_size.1_0.centrifuge_cycles",
    });
    const none = await get(historyRoute.GET, "/api/centrifuge-history/Unknown", { strain: "Unknown" });
    expect(none.json).toEqual({ strain: "Unknown", history: [], total_changes: 0 });
  });
});

describe("centrifuge outcomes, trends and unified recommendations", () => {
  it("records an outcome: 201, audit row, centrifuge.outcome_recorded; batch fields fill the gaps", async () => {
    const batch = await newBatch({
      strain: "Sour Diesel",
      grind_size: "fine",
      harvest_date: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
    });
    const after = await lastEventId();
    const res = await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      {
        batch_id: batch.id,
        size: "0_5",
        rpm: 2100,
        time_seconds: 12,
        cycles: 2,
        fill_gauge_cycle1: 3,
        fill_gauge_cycle2: 4,
        yield_percent: 96,
        weight_check_pass_rate: 92,
        notes: "smooth",
      },
      p.headers.operator,
    );
    expect(res.status).toBe(201);
    expect(res.json.success).toBe(true);
    expect(res.json.outcome).toMatchObject({
      strain: "Sour Diesel",
      batch_id: batch.id,
      size: "0_5",
      machine: "silver_bullet",
      grind_size: "fine",
      days_since_harvest: 20,
      priority_mode: "weight",
      actor: "operator",
      processed_at: null,
    });
    const events = await eventsOf("centrifuge.outcome_recorded", after);
    expect(events).toEqual([{ outcome_id: res.json.outcome.id, strain: "Sour Diesel", size: "0_5" }]);
    expect(await db.auditLog.count({ where: { entity: "centrifuge_outcome", entity_id: String(res.json.outcome.id) } })).toBeGreaterThan(5);

    const list = await get(outcomesRoute.GET, "/api/centrifuge/outcomes?strain=sour%20diesel");
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ success: true, total: 1, outcomes: [{ id: res.json.outcome.id, rpm: 2100 }] });
  });

  it("refuses bad outcomes with details.fields and writes nothing", async () => {
    const before = await lastEventId();
    const url = "/api/centrifuge/outcomes";
    expectFieldError(await post(outcomesRoute.POST, url, buildOutcome({ rpm: 3000 })), "rpm");
    expectFieldError(await post(outcomesRoute.POST, url, buildOutcome({ size: "2_0" as never })), "size");
    expectFieldError(await post(outcomesRoute.POST, url, buildOutcome({ yield_percent: 120 })), "yield_percent");
    expectFieldError(await post(outcomesRoute.POST, url, buildOutcome({ grind_size: "chunky" as never })), "grind_size");
    expectFieldError(await post(outcomesRoute.POST, url, { ...buildOutcome(), strain: undefined }), "strain");
    expectFieldError(await post(outcomesRoute.POST, url, buildOutcome({ machine: "blender" })), "machine");
    expectFieldError(await post(outcomesRoute.POST, url, { ...buildOutcome(), colour: "green" }), "body");
    expect((await post(outcomesRoute.POST, url, buildOutcome(), p.headers.viewer)).status).toBe(403);
    expect((await post(outcomesRoute.POST, url, buildOutcome({ batch_id: "missing" }))).status).toBe(404);
    expect(await lastEventId()).toBe(before);
  });

  it("trends: timeline, rpm trend, optimal rpm and a recommendation; both paths answer the same", async () => {
    const strain = "Purple Punch";
    const b1 = await newBatch({ strain });
    const b2 = await newBatch({ strain });
    const b3 = await newBatch({ strain });
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, batch_id: b1.id, rpm: 1900, yield_percent: 85, weight_check_pass_rate: 80 }),
    );
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, batch_id: b1.id, size: "0_5", rpm: 1950, yield_percent: 88, weight_check_pass_rate: 85 }),
    );
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, batch_id: b2.id, rpm: 2100, yield_percent: 97, weight_check_pass_rate: 98 }),
    );
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, batch_id: b3.id, rpm: 2200, yield_percent: 93, weight_check_pass_rate: 90, grind_size: "coarse" }),
    );

    const res = await get(trendsRoute.GET, "/api/centrifuge/trends/Purple%20Punch", { strain });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ strain, has_data: true, trend_analysis: { rpm_trend: "increasing", optimal_rpm: 2100 } });
    expect(
      res.json.timeline.map((t: Record<string, unknown>) => [t.batch_number, t.rpm, t.time_seconds, t.fill_gauge, t.yield_percent]),
    ).toEqual([
      [1, 1900, 15, 4, 85],
      [1, 1950, 15, 4, 88],
      [2, 2100, 15, 4, 97],
      [3, 2200, 15, 4, 93],
    ]);
    expect(res.json.recommendation).toMatchObject({
      rpm: expect.any(Number),
      time_seconds: 15,
      fill_gauge_cycle1: 4,
      confidence: expect.any(Number),
      source: "computed",
    });
    expect(res.json.recommendation.rpm).toBeGreaterThan(2000);
    const alias = await get(trendsAliasRoute.GET, "/api/centrifuge-trends/purple%20punch", { strain: "purple punch" });
    expect(alias.json.timeline).toEqual(res.json.timeline);

    // grind_size narrows; target_batch leaves that batch out and lends its grind size.
    const coarse = await get(trendsRoute.GET, `/api/centrifuge/trends/x?grind_size=coarse`, { strain });
    expect(coarse.json.timeline.map((t: { rpm: number }) => t.rpm)).toEqual([2200]);
    const target = await get(trendsRoute.GET, `/api/centrifuge/trends/x?target_batch=${b2.id}`, { strain });
    expect(target.json.timeline.map((t: { rpm: number }) => t.rpm)).toEqual([1900, 1950]); // medium grind, without b2
    expect(target.json.filters).toMatchObject({ grind_size: "medium", target_batch: { id: b2.id, found: true } });
    expectFieldError(await get(trendsRoute.GET, "/api/centrifuge/trends/x?days_since_harvest=-3", { strain }), "days_since_harvest");

    const empty = await get(trendsRoute.GET, "/api/centrifuge/trends/None", { strain: "None" });
    expect(empty.json).toMatchObject({
      strain: "None",
      has_data: false,
      timeline: [],
      trend_analysis: { rpm_trend: "insufficient_data", optimal_rpm: null },
      recommendation: null,
    });
  });

  it("unified: one recommendation per size; priority_mode and days_since_harvest change the weighting", async () => {
    const strain = "Northern Lights";
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, size: "0_5", rpm: 2000, weight_check_pass_rate: 100, yield_percent: 60, days_since_harvest: 10 }),
    );
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, size: "0_5", rpm: 2400, weight_check_pass_rate: 60, yield_percent: 100, days_since_harvest: 60 }),
    );
    await post(
      outcomesRoute.POST,
      "/api/centrifuge/outcomes",
      buildOutcome({ strain, size: "1_0", rpm: 2250, cycles: 2, fill_gauge_cycle1: 5, fill_gauge_cycle2: 6 }),
    );

    const res = await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?temporal=false", { strain });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, strain, has_data: true, priority_mode: "weight", temporal: false });
    expect(Object.keys(res.json.recommendations)).toEqual(["0_5", "0_7", "1_0"]);
    expect(res.json.recommendations["0_7"]).toMatchObject({ has_data: false, rpm: null, confidence: 0 });
    expect(res.json.recommendations["1_0"]).toMatchObject({
      has_data: true,
      rpm: 2250,
      cycles: 2,
      fill_gauge_cycle1: 5,
      fill_gauge_cycle2: 6,
      sample_size: 1,
      confidence: 0.33,
      match: "all_grinds",
      source: "computed",
    });
    const byWeight = res.json.recommendations["0_5"].rpm;
    const byCount = (
      await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?temporal=false&priority_mode=count", { strain })
    ).json.recommendations["0_5"].rpm;
    expect(byWeight).toBeLessThan(2200);
    expect(byCount).toBeGreaterThan(2200);
    const young = (await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?days_since_harvest=10", { strain })).json;
    const old = (await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?days_since_harvest=60", { strain })).json;
    expect(young.days_since_harvest).toBe(10);
    expect(young.recommendations["0_5"].rpm).toBeLessThan(old.recommendations["0_5"].rpm);

    const grind = await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?grind_size=fine", { strain });
    expect(grind.json.recommendations["1_0"].match).toBe("any_grind");
    expectFieldError(
      await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?priority_mode=looks", { strain }),
      "priority_mode",
    );
    expectFieldError(await get(unifiedRoute.GET, "/api/centrifuge-recommendations-unified/x?temporal=maybe", { strain }), "temporal");
  });
});
