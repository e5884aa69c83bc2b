import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import * as batchesRoute from "@/app/api/batches/route";
import * as stageRoute from "@/app/api/batches/[id]/stage/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import * as rateHistoryRoute from "@/app/api/batch/[id]/rate-history/route";
import * as projectionRoute from "@/app/api/strain/[strain]/rate-projection/route";

/**
 * Default work schedule: 08–17, Monday–Friday, server local time. Count entries with fixed past
 * timestamps are written directly; 2026-01-09 is a Friday, 2026-01-12 the Monday after.
 */
const local = (day: number, hour: number) => new Date(2026, 0, day, hour);

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function newBatch(overrides = {}) {
  const res = await call(batchesRoute.POST, {
    method: "POST",
    path: "/api/batches",
    headers: p.headers.apiKey,
    body: buildBatch(overrides),
  });
  expect(res.status).toBe(201);
  return res.json.batch as { id: string; strain: string };
}
const setStage = (id: string, stage: number) =>
  call(stageRoute.POST, { method: "POST", path: `/api/batches/${id}/stage`, params: { id }, headers: p.headers.operator, body: { stage } });
const rateHistory = (id: string, headers: Record<string, string> = p.headers.apiKey) =>
  call(rateHistoryRoute.GET, { path: `/api/batch/${id}/rate-history`, params: { id }, headers });

/** Entries of size 0_5 with the given running totals, and the batch's count set to the last one. */
async function seedEntries(batchId: string, points: [Date, number][]) {
  let previous = 0;
  for (const [at, total] of points) {
    await db.countEntry.create({
      data: { batch_id: batchId, size: "0_5", delta: total - previous, total_after: total, actor: "test", at },
    });
    previous = total;
  }
  await db.batch.update({ where: { id: batchId }, data: { counts_0_5: previous, last_inventory_consumed_0_5: previous } });
}

describe("GET /api/batch/{id}/rate-history", () => {
  it("answers the contract's shape from the cache a stage change refreshed, with working-time rate and ETA", async () => {
    const batch = await newBatch();
    await db.batch.update({ where: { id: batch.id }, data: { planned_0_5: 500 } });
    // Fri 9–17 = 8 working h, Mon 8–13 = 5 h: x = 0, 8, 13; y = 10, 110, 210 → 1300 / 86 ≈ 15.12/h.
    await seedEntries(batch.id, [
      [local(9, 9), 10],
      [local(9, 17), 110],
      [local(12, 13), 210],
    ]);
    expect((await setStage(batch.id, 2)).status).toBe(200);

    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.cached_production_rate).toBe(15.12);
    expect(row.rate_calculation_time).not.toBeNull();
    expect(row.last_rate_update).toEqual(row.rate_calculation_time);

    const res = await rateHistory(batch.id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      batch_id: batch.id,
      strain: batch.strain,
      stage: 2,
      cached_production_rate: 15.12,
      rate_history: [
        { timestamp: local(9, 9).toISOString(), rate: null, total_count: 10 },
        { timestamp: local(9, 17).toISOString(), rate: 12.5, total_count: 110 },
        { timestamp: local(12, 13).toISOString(), rate: 15.12, total_count: 210 },
      ],
      rate_metrics: { average_rate: 15.38, peak_rate: 15.12, trend: "stable" },
      total_count: 210,
      total_planned: 500,
      remaining_units: 290,
      eta_working_hours: Math.round((290 / 15.12) * 1000) / 1000,
    });
    expect(Date.parse(res.json.estimated_completion)).toBeGreaterThan(Date.now());
  });

  it("counts recorded through the counts route refresh the cache in the same transaction", async () => {
    const batch = await newBatch();
    const path = `/api/batch/${batch.id}/counts`;
    await call(countsRoute.POST, {
      method: "POST",
      path,
      params: { id: batch.id },
      headers: p.headers.apiKey,
      body: { counts_0_5: 40, counts_1_0: 10 },
    });
    await call(countsRoute.POST, { method: "POST", path, params: { id: batch.id }, headers: p.headers.apiKey, body: { add_0_5: 25 } });
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    const last = await db.countEntry.findFirstOrThrow({ where: { batch_id: batch.id }, orderBy: { id: "desc" } });
    expect(row.rate_calculation_time).toEqual(last.at); // the same mutation's timestamp
    expect((row.rate_history as { total_count: number }[]).map((h) => h.total_count)).toEqual([50, 75]);
    expect(row.rate_metrics).toMatchObject({ data_points: 2, trend: "stable" });
    const res = await rateHistory(batch.id, p.headers.viewer);
    expect(res.json.rate_history).toHaveLength(2);
  });

  it("computes on the fly for a batch whose rate was never cached", async () => {
    const batch = await newBatch();
    await seedEntries(batch.id, [
      [local(12, 9), 20],
      [local(12, 11), 70],
    ]);
    const res = await rateHistory(batch.id);
    expect(res.json).toMatchObject({ cached_production_rate: 25, rate_calculation_time: null });
    expect(res.json.rate_history).toHaveLength(2);
    expect((await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).rate_calculation_time).toBeNull(); // read-only
  });

  it("404s an unknown batch with the contract's message", async () => {
    const res = await rateHistory("nope");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: "Batch not found", code: "batch_not_found" });
  });
});

describe("GET /api/strain/{strain}/rate-projection", () => {
  async function pastBatch(strain: string, rate: number | null, endDay: number, extra = {}) {
    const b = await newBatch();
    await db.batch.update({
      where: { id: b.id },
      // Strain written as stored (legacy rows keep stray spaces the create form would trim).
      data: { strain, stage: 7, cached_production_rate: rate, production_end_time: local(endDay, 16), ...extra },
    });
    return b.id;
  }
  const projection = (strain: string) =>
    call(projectionRoute.GET, {
      path: `/api/strain/${encodeURIComponent(strain)}/rate-projection`,
      params: { strain },
      headers: p.headers.apiKey,
    });

  it("projects from past batches of the strain, matching case and whitespace loosely", async () => {
    const a = await pastBatch("Tangie Dream", 100, 5);
    const b = await pastBatch("tangie dream ", 120, 7);
    const c = await pastBatch("TANGIE  DREAM", 110, 6);
    // Legacy batch without a cached rate: 500 units ÷ 4 work hours = 125.
    const d = await pastBatch("Tangie Dream", null, 8, { total_work_hours: 4, counts_0_5: 500 });
    await pastBatch("Tangie Dreamer", 999, 9); // another strain
    const active = await newBatch({ strain: "Tangie Dream" });
    await db.batch.update({ where: { id: active.id }, data: { stage: 2, cached_production_rate: 500 } }); // not past

    const res = await projection("  tangie DREAM ");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ strain_name: "tangie DREAM", has_data: true, projected_rate: 113.75, sample_size: 4 });
    expect(res.json.historical_rates.map((h: { batch_id: string }) => h.batch_id)).toEqual([d, b, c, a]); // newest first
    expect(res.json.historical_rates[0]).toMatchObject({ rate: 125, total_count: 500, work_hours: 4 });
    expect(res.json.confidence).toBeGreaterThan(0.6);
    expect(res.json.confidence).toBeLessThanOrEqual(1);
    expect(res.json.matched_strains).toEqual(["TANGIE  DREAM", "Tangie Dream", "tangie dream "]);
  });

  it("has_data:false with a message for a strain without history", async () => {
    const res = await projection("Nobody Grows This");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ strain_name: "Nobody Grows This", has_data: false, message: expect.any(String) });
  });

  it("400 with details.fields for a blank strain", async () => {
    const res = await call(projectionRoute.GET, {
      path: "/api/strain/%20/rate-projection",
      params: { strain: " " },
      headers: p.headers.apiKey,
    });
    expect(res.status).toBe(400);
    expect(res.json.details.fields.strain).toBeDefined();
  });
});
