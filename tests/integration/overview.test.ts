import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import { stageNames } from "@/lib/domain/batches/constants";
import * as batchesRoute from "@/app/api/batches/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import * as overviewRoute from "@/app/api/overview/route";
import * as historyRoute from "@/app/api/production-history/route";

/** Days are local calendar days (the server's time zone). */
const now = new Date();
const localDay = (daysAgo: number, hour = 12) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, hour);
const key = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

let p: Awaited<ReturnType<typeof createPrincipals>>;
const ids: Record<string, string> = {};
beforeAll(async () => {
  p = await createPrincipals();
  const make = async (name: string, stage: number, overrides = {}) => {
    const res = await call(batchesRoute.POST, {
      method: "POST",
      path: "/api/batches",
      headers: p.headers.apiKey,
      body: buildBatch({ strain: name, stage, ...overrides }),
    });
    expect(res.status).toBe(201);
    ids[name] = res.json.batch.id;
  };
  await make("Alpha", 2);
  await make("Bravo", 2);
  await make("Charlie", 4);
  await make("Delta", 7);
  await make("Echo", 0);
  await make("Archived", 3);
  await db.batch.update({ where: { id: ids.Archived }, data: { archived: true } });
  // Charlie has waited 3 days for its test results; Delta (Done) longer, but Done needs nothing.
  await db.batch.update({ where: { id: ids.Charlie }, data: { stage_entered_at: new Date(now.getTime() - 3.5 * 86_400_000) } });
  await db.batch.update({ where: { id: ids.Delta }, data: { stage_entered_at: new Date(now.getTime() - 30 * 86_400_000) } });
  // Production: today (incl. a correction), 2 days ago, 10 days ago; one today on the archived batch.
  const entry = (batch: string, size: string, delta: number, at: Date) =>
    db.countEntry.create({ data: { batch_id: ids[batch], size, delta, total_after: Math.max(0, delta), actor: "test", at } });
  await entry("Alpha", "0_5", 100, new Date(now.getTime() - 1000));
  await entry("Alpha", "0_5", -10, new Date(now.getTime() - 500));
  await entry("Bravo", "1_0", 40, new Date(now.getTime() - 1000));
  await entry("Archived", "0_7", 5, new Date(now.getTime() - 1000));
  await entry("Bravo", "0_7", 60, localDay(2));
  await entry("Alpha", "0_5", 200, localDay(10));
});

const overview = () => call(overviewRoute.GET, { path: "/api/overview", headers: p.headers.apiKey });
const history = (query = "") => call(historyRoute.GET, { path: `/api/production-history${query}`, headers: p.headers.viewer });

describe("GET /api/overview", () => {
  it("answers the contract's shape: stage counts, today's production, priority batches, total active", async () => {
    const res = await overview();
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.stage_counts)).toEqual([...stageNames]);
    expect(res.json.stage_counts).toMatchObject({
      "Not ground": 1,
      Ground: 0,
      "In progress": 2,
      "Waiting on testing": 1,
      Done: 1,
      Finished: 0,
    });
    expect(res.json.total_active).toBe(5);
    expect(res.json.production_stats).toEqual({ today_total: 135, today_0_5: 90, today_0_7: 5, today_1_0: 40 });
    expect(res.json.priority_batches.length).toBeLessThanOrEqual(5);
    expect(res.json.priority_batches[0]).toEqual({
      id: ids.Charlie,
      strain: "Charlie",
      stage: 4,
      stage_name: "Waiting on testing",
      days_in_stage: 3,
    });
    expect(res.json.priority_batches.map((b: { strain: string }) => b.strain)).not.toContain("Delta");
    expect(res.json.priority_batches.map((b: { strain: string }) => b.strain)).not.toContain("Archived");
  });

  it("reflects a change on the next call (memoised per data version only)", async () => {
    const first = await overview();
    const again = await overview();
    expect(again.json).toEqual(first.json);
    await call(countsRoute.POST, {
      method: "POST",
      path: `/api/batch/${ids.Echo}/counts`,
      params: { id: ids.Echo },
      headers: p.headers.apiKey,
      body: { counts_1_0: 7 },
    });
    const after = await overview();
    expect(after.json.production_stats.today_1_0).toBe(first.json.production_stats.today_1_0 + 7);
    expect(after.json.production_stats.today_total).toBe(first.json.production_stats.today_total + 7);
  });

  it("needs a caller (ApexAPI's connection test uses its key)", async () => {
    expect((await call(overviewRoute.GET, { path: "/api/overview", headers: p.headers.anonymous })).status).toBe(401);
  });
});

describe("GET /api/production-history", () => {
  it("defaults to 7 days, one row per calendar day oldest first, zero days included", async () => {
    const res = await history();
    expect(res.status).toBe(200);
    expect(res.json.days).toBe(7);
    const rows = res.json.daily_production as { date: string; total: number; "0_5": number; "0_7": number; "1_0": number }[];
    expect(rows.map((r) => r.date)).toEqual(Array.from({ length: 7 }, (_, i) => key(localDay(6 - i))));
    expect(rows[6]).toEqual({ date: key(localDay(0)), total: 142, "0_5": 90, "0_7": 5, "1_0": 47 }); // + Echo's 7 above
    expect(rows[4]).toEqual({ date: key(localDay(2)), total: 60, "0_5": 0, "0_7": 60, "1_0": 0 });
    expect(rows[0]).toEqual({ date: key(localDay(6)), total: 0, "0_5": 0, "0_7": 0, "1_0": 0 });
  });

  it("longer windows reach older production; 90 days is the maximum", async () => {
    const res = await history("?days=14");
    expect(res.json.daily_production).toHaveLength(14);
    expect(res.json.daily_production.find((r: { date: string }) => r.date === key(localDay(10)))).toMatchObject({ total: 200, "0_5": 200 });
    const max = await history("?days=90");
    expect(max.status).toBe(200);
    expect(max.json.daily_production).toHaveLength(90);
  });

  it("400 with details.fields outside 1–90", async () => {
    for (const q of ["?days=0", "?days=91", "?days=abc", "?days=2.5"]) {
      const res = await history(q);
      expect(res.status, q).toBe(400);
      expect(res.json.code).toBe("validation_failed");
      expect(res.json.details.fields.days).toBeDefined();
    }
  });
});
