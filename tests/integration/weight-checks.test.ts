import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseEventPayload, type EventType } from "@/lib/events/catalogue";
import { runningYield } from "@/lib/domain/weight-checks/weight-math";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import * as batchesRoute from "@/app/api/batches/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import * as weightCheckRoute from "@/app/api/weight-check/[id]/route";
import * as deleteCheckRoute from "@/app/api/weight-check/[id]/[check_id]/route";
import * as analyticsRoute from "@/app/api/weight-analytics/[id]/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});
afterEach(async () => {
  await db.setting.deleteMany({ where: { key: { in: ["weight_tolerance_percent", "tare_weights"] } } });
});

async function newBatch(counts: { counts_0_5?: number; counts_0_7?: number; counts_1_0?: number } = {}) {
  const res = await call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers: p.headers.apiKey, body: buildBatch() });
  expect(res.status).toBe(201);
  const batch = res.json.batch as { id: string; strain: string };
  if (Object.keys(counts).length) {
    const c = await call(countsRoute.POST, {
      method: "POST",
      path: `/api/batch/${batch.id}/counts`,
      params: { id: batch.id },
      headers: p.headers.apiKey,
      body: counts,
    });
    expect(c.status).toBe(200);
  }
  return batch;
}

function weigh(batchId: string, body: unknown, headers: Record<string, string> = p.headers.operator) {
  return call(weightCheckRoute.POST, { method: "POST", path: `/api/weight-check/${batchId}`, params: { id: batchId }, headers, body });
}

function removeCheck(batchId: string, checkId: number | string, body?: unknown, headers: Record<string, string> = p.headers.admin) {
  return call(deleteCheckRoute.DELETE, {
    method: "DELETE",
    path: `/api/weight-check/${batchId}/${checkId}`,
    params: { id: batchId, check_id: String(checkId) },
    headers,
    body,
  });
}

function analytics(batchId: string, headers: Record<string, string> = p.headers.viewer) {
  return call(analyticsRoute.GET, { path: `/api/weight-analytics/${batchId}`, params: { id: batchId }, headers });
}

async function eventsFor(type: EventType, batchId: string) {
  const rows = await db.event.findMany({ where: { type }, orderBy: { id: "asc" } });
  return rows.filter((r) => (r.payload as { batch_id?: string }).batch_id === batchId);
}

describe("POST /api/weight-check/{id}", () => {
  it("records a check: row, log entry, last check, running yield, audit and a valid weight_check.recorded", async () => {
    const batch = await newBatch({ counts_0_5: 1000 });
    const res = await weigh(batch.id, { size: "0.5g", sample_weight: 6.2, count_at_measurement: 400 });
    expect(res.status, res.text).toBe(200);
    expect(res.json.success).toBe(true);
    const a = res.json.analysis;
    expect(a).toMatchObject({
      size: "0_5",
      size_label: "0.5g",
      sample_weight: 6.2,
      sample_units: 10,
      count_at_measurement: 400,
      unit_weight: 0.62,
      tare_weight: 0.12,
      flower_weight: 0.5,
      target_weight: 0.5,
      deviation_percent: 0,
      tolerance_percent: 10,
      within_tolerance: true,
      status: "good",
      running_yield: 100,
      grams_used_estimate: 500,
      units_counted: 1000,
    });
    expect(a.check_id).toEqual(expect.any(Number));

    const check = await db.weightCheck.findUniqueOrThrow({ where: { id: a.check_id } });
    expect(check).toMatchObject({
      batch_id: batch.id,
      size: "0_5",
      sample_weight: 6.2,
      sample_units: 10,
      count_at_measurement: 400,
      unit_weight: 0.62,
      target_weight: 0.5,
      within_tolerance: true,
      actor: "operator",
    });

    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.weight_log_0_5).toEqual([
      expect.objectContaining({
        check_id: a.check_id,
        timestamp: check.recorded_at.toISOString(),
        sample_weight: 6.2,
        unit_weight: 0.62,
        flower_weight: 0.5,
        count: 400,
        within_tolerance: true,
        actor: "operator",
      }),
    ]);
    expect(row).toMatchObject({
      running_yield_0_5: 100,
      last_weight_check_count_0_5: 400,
      running_yield_0_7: 0,
      last_weight_check_count_0_7: 0,
    });
    expect(row.last_weight_check_date_0_5?.toISOString()).toBe(check.recorded_at.toISOString());

    const audit = await db.auditLog.findMany({
      where: {
        OR: [
          { entity: "weight_check", entity_id: String(a.check_id) },
          { entity: "batch", entity_id: batch.id, actor: "operator" },
        ],
      },
    });
    expect(audit.map((r) => r.field)).toEqual(
      expect.arrayContaining([
        "sample_weight",
        "count_at_measurement",
        "flower_weight",
        "status",
        "running_yield_0_5",
        "last_weight_check_count_0_5",
        "last_weight_check_date_0_5",
      ]),
    );
    expect(audit.some((r) => r.field.startsWith("weight_log"))).toBe(false);
    expect(new Set(audit.map((r) => r.trace_id)).size).toBe(1);

    const recorded = await eventsFor("weight_check.recorded", batch.id);
    expect(recorded).toHaveLength(1);
    expect(() => parseEventPayload("weight_check.recorded", recorded[0].payload)).not.toThrow();
    expect(recorded[0].payload).toMatchObject({
      batch_id: batch.id,
      strain: batch.strain,
      size: "0_5",
      unit_weight: 0.62,
      target_weight: 0.5,
      within_tolerance: true,
      check_id: a.check_id,
      running_yield: 100,
    });
    expect(recorded[0].trace_id).toBe(res.headers.get("x-trace-id"));
    expect(await eventsFor("weight_check.out_of_tolerance", batch.id)).toHaveLength(0);
  });

  it("defaults the count to the batch's current count, accepts the other size forms and sample sizes", async () => {
    const batch = await newBatch({ counts_0_7: 250, counts_1_0: 80 });
    const a = await weigh(batch.id, { size: "0_7", sample_weight: 4.25, sample_units: 5 });
    expect(a.status, a.text).toBe(200);
    // 4.25 / 5 = 0.85 − 0.15 = 0.70 g on a 0.7 g target
    expect(a.json.analysis).toMatchObject({
      size: "0_7",
      count_at_measurement: 250,
      sample_units: 5,
      unit_weight: 0.85,
      flower_weight: 0.7,
      status: "good",
    });
    const b = await weigh(batch.id, { size: "1g", sample_weight: "11.8", count_at_measurement: null });
    expect(b.status, b.text).toBe(200);
    expect(b.json.analysis).toMatchObject({
      size: "1_0",
      count_at_measurement: 80,
      flower_weight: 1,
      running_yield: 100,
      grams_used_estimate: 80,
    });
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row).toMatchObject({ last_weight_check_count_0_7: 250, last_weight_check_count_1_0: 80, running_yield_0_7: 100 });
  });

  it("emits weight_check.out_of_tolerance only when the flower weight leaves the band", async () => {
    const batch = await newBatch({ counts_0_5: 500 });
    const cases = [
      { sample_weight: 6.7, status: "good", deviation: 10 }, // 0.67 − 0.12 = 0.55: +10 %, the edge
      { sample_weight: 6.9, status: "warning", deviation: 14 }, // 0.57: +14 %
      { sample_weight: 5.0, status: "bad", deviation: -24 }, // 0.38: −24 %
      { sample_weight: 6.0, status: "good", deviation: -4 }, // 0.48: −4 %
    ];
    const ids: Record<string, number> = {};
    for (const c of cases) {
      const res = await weigh(batch.id, { size: "0.5g", sample_weight: c.sample_weight, count_at_measurement: 100 });
      expect(res.status, res.text).toBe(200);
      expect(res.json.analysis).toMatchObject({ status: c.status, deviation_percent: c.deviation, within_tolerance: c.status === "good" });
      ids[c.status + c.deviation] = res.json.analysis.check_id;
    }
    const out = await eventsFor("weight_check.out_of_tolerance", batch.id);
    expect(out.map((e) => (e.payload as { check_id: number }).check_id)).toEqual([ids.warning14, ids["bad-24"]]);
    for (const e of out) expect(() => parseEventPayload("weight_check.out_of_tolerance", e.payload)).not.toThrow();
    expect(out[0].payload).toMatchObject({
      size: "0_5",
      unit_weight: 0.69,
      target_weight: 0.5,
      deviation_percent: 14,
      status: "warning",
      tolerance_percent: 10,
    });
    expect(out[1].payload).toMatchObject({ deviation_percent: -24, status: "bad" });
    expect(await eventsFor("weight_check.recorded", batch.id)).toHaveLength(4);
  });

  it("uses the tare and tolerance settings", async () => {
    await db.setting.upsert({
      where: { key: "weight_tolerance_percent" },
      create: { key: "weight_tolerance_percent", value: 5 },
      update: { value: 5 },
    });
    await db.setting.upsert({
      where: { key: "tare_weights" },
      create: { key: "tare_weights", value: { "0_5": 0.1, "0_7": 0.15, "1_0": 0.18 } },
      update: { value: { "0_5": 0.1, "0_7": 0.15, "1_0": 0.18 } },
    });
    const batch = await newBatch({ counts_0_5: 10 });
    // 0.64 − 0.10 = 0.54: +8 % is outside a 5 % band but within 10 %
    const res = await weigh(batch.id, { size: "0.5g", sample_weight: 6.4 });
    expect(res.json.analysis).toMatchObject({
      tare_weight: 0.1,
      flower_weight: 0.54,
      deviation_percent: 8,
      tolerance_percent: 5,
      status: "warning",
      within_tolerance: false,
    });
  });

  it("400s bad input with field details and changes nothing", async () => {
    const batch = await newBatch({ counts_0_5: 100 });
    const checks = await db.weightCheck.count();
    const events = await db.event.count();
    const cases: { body: unknown; field: string }[] = [
      { body: { size: "0.6g", sample_weight: 6 }, field: "size" },
      { body: { size: "large", sample_weight: 6 }, field: "size" },
      { body: { sample_weight: 6 }, field: "size" },
      { body: { size: "0.5g", sample_weight: -6 }, field: "sample_weight" },
      { body: { size: "0.5g", sample_weight: 0 }, field: "sample_weight" },
      { body: { size: "0.5g", sample_weight: "heavy" }, field: "sample_weight" },
      { body: { size: "0.5g" }, field: "sample_weight" },
      { body: { size: "0.5g", sample_weight: 6, count_at_measurement: -1 }, field: "count_at_measurement" },
      { body: { size: "0.5g", sample_weight: 6, count_at_measurement: 2.5 }, field: "count_at_measurement" },
      { body: { size: "0.5g", sample_weight: 6, sample_units: 0 }, field: "sample_units" },
      // ten units lighter than ten empty cones (0.12 g each)
      { body: { size: "0.5g", sample_weight: 1.1 }, field: "sample_weight" },
      // An unknown field is ignored on this contract route (contract-tolerance.test.ts), a bad value beside it is not.
      { body: { size: "0.5g", sample_weight: -6, note: "x" }, field: "sample_weight" },
    ];
    for (const c of cases) {
      const res = await weigh(batch.id, c.body);
      const label = `${JSON.stringify(c.body)} → ${res.text}`;
      expect(res.status, label).toBe(400);
      expect(res.json.code, label).toBe("validation_failed");
      expect(typeof res.json.error, label).toBe("string");
      expect(res.json.details.fields[c.field], label).toBeDefined();
    }
    const unknown = await weigh(batch.id, { size: "0.5g", sample_weight: -6, note: "x" });
    expect(Object.keys(unknown.json.details.fields)).toEqual(["sample_weight"]);
    const bad = await weigh(batch.id, { size: "0.6g", sample_weight: 6 });
    expect(bad.json.error).toBe("Invalid value for size");
    expect(await db.weightCheck.count()).toBe(checks);
    expect(await db.event.count()).toBe(events);
  });

  it("404s an unknown batch; needs a session and the operator role", async () => {
    const missing = await weigh("nope", { size: "0.5g", sample_weight: 6 });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Batch not found", code: "batch_not_found" });
    const batch = await newBatch();
    expect((await weigh(batch.id, { size: "0.5g", sample_weight: 6 }, p.headers.apiKey)).status).toBe(401);
    expect((await weigh(batch.id, { size: "0.5g", sample_weight: 6 }, p.headers.viewer)).status).toBe(403);
    expect(await db.weightCheck.count({ where: { batch_id: batch.id } })).toBe(0);
  });

  it("two tablets weighing at once both land in the log (no lost update)", async () => {
    const batch = await newBatch({ counts_0_5: 100 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        weigh(
          batch.id,
          { size: "0.5g", sample_weight: 6 + i / 100, count_at_measurement: i * 10 },
          i % 2 ? p.headers.operator : p.headers.admin,
        ),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.weight_log_0_5).toHaveLength(12);
    expect(await db.weightCheck.count({ where: { batch_id: batch.id } })).toBe(12);
  });
});

describe("GET /api/weight-analytics/{id}", () => {
  it("summarises each size and the batch: spread, share in tolerance, trend, running yield, log", async () => {
    const batch = await newBatch({ counts_0_5: 1000, counts_1_0: 200 });
    // 0.5 g: flower 0.50, 0.55, 0.60 at counts 0, 500, 1000 — getting heavier
    for (const [w, count] of [
      [6.2, 0],
      [6.7, 500],
      [7.2, 1000],
    ]) {
      expect((await weigh(batch.id, { size: "0.5g", sample_weight: w, count_at_measurement: count })).status).toBe(200);
    }
    // 1.0 g: flower 1.0 at count 100
    await weigh(batch.id, { size: "1.0g", sample_weight: 11.8, count_at_measurement: 100 });

    const res = await analytics(batch.id);
    expect(res.status, res.text).toBe(200);
    const body = res.json;
    expect(body).toMatchObject({
      batch_id: batch.id,
      strain: batch.strain,
      tolerance_percent: 10,
      tare_weights: { "0_5": 0.12, "0_7": 0.15, "1_0": 0.18 },
    });
    expect(Object.keys(body.sizes)).toEqual(["0_5", "0_7", "1_0"]);

    const half = body.sizes["0_5"];
    expect(half).toMatchObject({
      size_label: "0.5g",
      target_weight: 0.5,
      tare_weight: 0.12,
      current_count: 1000,
      checks_count: 3,
      unit_weight: { mean: 0.67, min: 0.62, max: 0.72, std_dev: 0.05 },
      flower_weight: { mean: 0.55, min: 0.5, max: 0.6, std_dev: 0.05 },
      mean_deviation_percent: 10,
      within_tolerance_count: 2,
      within_tolerance_percent: 66.67,
      trend: { direction: "rising", change_percent: 20 },
      last_check: { count: 1000, status: "warning", flower_weight: 0.6 },
      last_weight_check_count: 1000,
      units_since_last_check: 0,
    });
    // nearest check by count: 0–250 at 0.50, 250–750 at 0.55, 750–1000 at 0.60 → 550 g for 500 g sold
    const expected = runningYield("0_5", 1000, [
      { count: 0, flowerWeight: 0.5 },
      { count: 500, flowerWeight: 0.55 },
      { count: 1000, flowerWeight: 0.6 },
    ]);
    expect(half).toMatchObject({
      running_yield: expected.running_yield,
      grams_used_estimate: 550,
      nominal_grams: 500,
      yield_status: "good",
    });
    expect(half.running_yield).toBe(90.91);
    expect(half.log.map((e: { count: number }) => e.count)).toEqual([0, 500, 1000]);
    expect(half.log[0]).toEqual(
      expect.objectContaining({
        check_id: expect.any(Number),
        timestamp: expect.any(String),
        sample_weight: 6.2,
        unit_weight: 0.62,
        count: 0,
        within_tolerance: true,
        actor: "operator",
      }),
    );

    expect(body.sizes["0_7"]).toMatchObject({
      checks_count: 0,
      running_yield: 0,
      yield_status: null,
      unit_weight: { mean: null },
      within_tolerance_percent: null,
      trend: { direction: "insufficient_data" },
      last_check: null,
      last_weight_check_date: null,
      log: [],
    });
    expect(body.sizes["1_0"]).toMatchObject({ checks_count: 1, running_yield: 100, grams_used_estimate: 200, units_since_last_check: 100 });

    expect(body.totals).toMatchObject({
      checks_count: 4,
      within_tolerance_count: 3,
      within_tolerance_percent: 75,
      units_counted: 1200,
      units_with_yield: 1200,
      grams_used_estimate: 750,
      nominal_grams: 700,
      running_yield: 93.33,
      yield_status: "good",
    });
    expect(body.totals.last_check_at).toEqual(expect.any(String));
    expect(body.definitions.running_yield).toContain("0 % means counts or weights are missing");
  });

  it("404s an unknown batch; session only, viewers may read", async () => {
    const missing = await analytics("nope");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Batch not found", code: "batch_not_found" });
    const batch = await newBatch();
    expect((await analytics(batch.id, p.headers.apiKey)).status).toBe(401);
    const empty = await analytics(batch.id, p.headers.viewer);
    expect(empty.status).toBe(200);
    expect(empty.json.totals).toMatchObject({
      checks_count: 0,
      running_yield: 0,
      yield_status: null,
      grams_used_estimate: 0,
      last_check_at: null,
    });
  });

  it("reads weight logs imported from the legacy system", async () => {
    const batch = await newBatch({ counts_0_7: 100 });
    await db.batch.update({
      where: { id: batch.id },
      data: {
        weight_log_0_7: [
          { timestamp: "2025-03-01T10:00:00", sample_weight: 8.5, unit_weight: 0.85, count: 50, within_tolerance: true, actor: "maria" },
        ],
      },
    });
    const res = await analytics(batch.id);
    expect(res.json.sizes["0_7"]).toMatchObject({
      checks_count: 1,
      running_yield: 100,
      log: [expect.objectContaining({ check_id: null, flower_weight: 0.7, actor: "maria" })],
    });
  });
});

describe("DELETE /api/weight-check/{id}/{check_id}", () => {
  it("lets an admin remove a wrong check: log, yield and last check recomputed, audited, weight_check.deleted", async () => {
    const batch = await newBatch({ counts_0_5: 1000 });
    const good = await weigh(batch.id, { size: "0.5g", sample_weight: 6.2, count_at_measurement: 300 });
    // a typo: 62 g instead of 6.2 g
    const wrong = await weigh(batch.id, { size: "0.5g", sample_weight: 62, count_at_measurement: 900 });
    expect(wrong.json.analysis.status).toBe("bad");
    let row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.weight_log_0_5).toHaveLength(2);
    expect(row.last_weight_check_count_0_5).toBe(900);
    expect(row.running_yield_0_5).toBeLessThan(50);

    const wrongId = wrong.json.analysis.check_id as number;
    const res = await removeCheck(batch.id, wrongId, { reason: "typed 62 for 6.2" });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      success: true,
      deleted_check_id: wrongId,
      size: "0_5",
      running_yield: 100,
      grams_used_estimate: 500,
      checks_remaining: 1,
    });

    expect(await db.weightCheck.findUnique({ where: { id: wrongId } })).toBeNull();
    row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.weight_log_0_5).toEqual([expect.objectContaining({ check_id: good.json.analysis.check_id, count: 300 })]);
    expect(row).toMatchObject({ running_yield_0_5: 100, last_weight_check_count_0_5: 300 });
    expect(row.last_weight_check_date_0_5?.toISOString()).toBe((row.weight_log_0_5 as { timestamp: string }[])[0].timestamp);

    const audit = await db.auditLog.findMany({ where: { entity: "weight_check", entity_id: String(wrongId), actor: "admin" } });
    expect(audit.map((r) => [r.field, r.old, r.new])).toEqual(
      expect.arrayContaining([
        ["sample_weight", "62", null],
        ["count_at_measurement", "900", null],
        ["deleted", "false", "true"],
        ["deletion_reason", null, "typed 62 for 6.2"],
      ]),
    );
    const yieldAudit = await db.auditLog.findFirst({
      where: { entity: "batch", entity_id: batch.id, field: "running_yield_0_5", actor: "admin" },
    });
    expect(yieldAudit?.new).toBe("100");

    const deleted = await eventsFor("weight_check.deleted", batch.id);
    expect(deleted).toHaveLength(1);
    expect(() => parseEventPayload("weight_check.deleted", deleted[0].payload)).not.toThrow();
    expect(deleted[0].payload).toEqual({
      batch_id: batch.id,
      strain: batch.strain,
      size: "0_5",
      check_id: wrongId,
      sample_weight: 62,
      unit_weight: 6.2,
      count_at_measurement: 900,
      reason: "typed 62 for 6.2",
      running_yield: 100,
    });

    // the last check of a size: back to "weights missing"
    const last = await removeCheck(batch.id, good.json.analysis.check_id);
    expect(last.json).toMatchObject({ running_yield: 0, grams_used_estimate: 0, checks_remaining: 0 });
    row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row).toMatchObject({
      weight_log_0_5: [],
      running_yield_0_5: 0,
      last_weight_check_count_0_5: 0,
      last_weight_check_date_0_5: null,
    });
    expect((await eventsFor("weight_check.deleted", batch.id)).map((e) => (e.payload as { reason: string | null }).reason)).toEqual([
      "typed 62 for 6.2",
      null,
    ]);
  });

  it("is admin only, 404s unknown checks and checks of another batch, 400s a bad check id", async () => {
    const batch = await newBatch({ counts_0_5: 10 });
    const other = await newBatch();
    const check = (await weigh(batch.id, { size: "0.5g", sample_weight: 6.2 })).json.analysis.check_id as number;
    expect((await removeCheck(batch.id, check, undefined, p.headers.operator)).status).toBe(403);
    expect((await removeCheck(batch.id, check, undefined, p.headers.apiKey)).status).toBe(401);
    const wrongBatch = await removeCheck(other.id, check);
    expect(wrongBatch.status).toBe(404);
    expect(wrongBatch.json).toEqual({ error: "Weight check not found", code: "weight_check_not_found" });
    expect((await removeCheck(batch.id, 999_999)).status).toBe(404);
    expect((await removeCheck("nope", check)).json).toEqual({ error: "Batch not found", code: "batch_not_found" });
    const bad = await removeCheck(batch.id, "abc");
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields.check_id).toBeDefined();
    expect(await db.weightCheck.findUnique({ where: { id: check } })).not.toBeNull();
    expect(await eventsFor("weight_check.deleted", batch.id)).toHaveLength(0);
  });
});
