import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { parseEventPayload } from "@/lib/events/catalogue";
import { processCentrifugeOutcomes } from "@/lib/domain/centrifuge/learning/process-outcomes";
import { recommend } from "@/lib/domain/centrifuge/learning/recommend";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildOutcome } from "@/prisma/seed/centrifuge";
import type { RecordOutcomeInput } from "@/lib/domain/centrifuge/record-outcome";
import * as outcomesRoute from "@/app/api/centrifuge/outcomes/route";
import * as learningRoute from "@/app/api/learning/run/route";
import * as unifiedRoute from "@/app/api/centrifuge-recommendations-unified/[strain]/route";
import * as trendsRoute from "@/app/api/centrifuge/trends/[strain]/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function record(overrides: Partial<RecordOutcomeInput>) {
  const res = await call(outcomesRoute.POST, {
    method: "POST",
    path: "/api/centrifuge/outcomes",
    headers: p.headers.apiKey,
    body: buildOutcome(overrides),
  });
  expect(res.status).toBe(201);
  return res.json.outcome as { id: number };
}

const snapshot = async () => ({
  events: await db.event.count(),
  audit: await db.auditLog.count(),
  rows: await db.centrifugeRecommendation.findMany({ orderBy: { id: "asc" } }),
});

const unified = (strain: string, query = "") =>
  call(unifiedRoute.GET, { path: `/api/centrifuge-recommendations-unified/x${query}`, params: { strain }, headers: p.headers.viewer });

describe("learning processor", () => {
  it("does nothing — no mutation, no event — when there are no new outcomes", async () => {
    const before = await snapshot();
    expect(await processCentrifugeOutcomes(systemContext("worker", "worker"))).toEqual({
      success: true,
      outcomes_processed: 0,
      strains: [],
    });
    expect(await snapshot()).toEqual(before);
  });

  it("recomputes each (strain, size, grind) group, marks outcomes processed and emits one event, in one mutation", async () => {
    await record({ strain: "Blue Dream", size: "1_0", rpm: 2100, yield_percent: 95, weight_check_pass_rate: 96 });
    await record({ strain: "Blue Dream", size: "1_0", rpm: 2300, yield_percent: 80, weight_check_pass_rate: 70 });
    await record({ strain: "blue  dream", size: "1_0", rpm: 2200, yield_percent: 90, weight_check_pass_rate: 90 });
    await record({ strain: "Runtz", size: "0_5", grind_size: "fine", rpm: 1900, cycles: 2, fill_gauge_cycle1: 3, fill_gauge_cycle2: 5 });
    await record({ strain: "Runtz", size: "0_5", grind_size: null, rpm: 2000 });
    const eventsBefore = await db.event.findFirst({ orderBy: { id: "desc" } });

    const result = await processCentrifugeOutcomes(systemContext("worker", "worker"));
    expect(result).toEqual({ success: true, outcomes_processed: 5, strains: ["Runtz", "blue  dream"] });

    const rows = await db.centrifugeRecommendation.findMany({ orderBy: [{ strain: "asc" }, { grind_size: "asc" }] });
    expect(rows.map((r) => [r.strain, r.size, r.grind_size, r.sample_size])).toEqual([
      ["Runtz", "0_5", "", 1],
      ["Runtz", "0_5", "fine", 1],
      ["blue  dream", "1_0", "medium", 3], // strains group case/spacing-insensitively; the newest spelling names the row
    ]);
    expect(rows[1]).toMatchObject({ rpm: 1900, cycles: 2, fill_gauge_cycle1: 3, fill_gauge_cycle2: 5, confidence: 0.33 });

    // The stored row is exactly the learning maths over all of the group's outcomes.
    const members = await db.centrifugeOutcome.findMany({ where: { size: "1_0" }, orderBy: { id: "asc" } });
    const expected = recommend(members, { priorityMode: "weight" })!;
    expect(rows[2]).toMatchObject({
      rpm: expected.rpm,
      time_seconds: expected.time_seconds,
      cycles: expected.cycles,
      fill_gauge_cycle1: expected.fill_gauge_cycle1,
      confidence: expected.confidence,
    });
    expect(rows[2].rpm).toBeLessThan(2200); // the better 2100 rpm run pulls harder than the poor 2300 one
    expect(rows[2].confidence).toBeGreaterThan(0);
    expect(rows[2].confidence).toBeLessThan(1);

    expect(await db.centrifugeOutcome.count({ where: { processed_at: null } })).toBe(0);
    const events = await db.event.findMany({ where: { id: { gt: eventsBefore?.id ?? 0 } } });
    expect(events.map((e) => e.type)).toEqual(["learning.recommendations_updated"]);
    expect(parseEventPayload("learning.recommendations_updated", events[0].payload)).toEqual({
      strains: ["Runtz", "blue  dream"],
      outcomes_processed: 5,
    });
    expect(events[0].actor).toBe("worker");
    const audit = await db.auditLog.findMany({ where: { entity: "centrifuge_recommendation" } });
    expect(new Set(audit.map((a) => a.entity_id)).size).toBe(3);
    expect(audit.every((a) => a.trace_id === events[0].trace_id)).toBe(true);
  });

  it("is idempotent: a second run with nothing new changes nothing and emits nothing", async () => {
    const before = await snapshot();
    expect(await processCentrifugeOutcomes(systemContext("worker", "worker"))).toMatchObject({ outcomes_processed: 0, strains: [] });
    expect(await snapshot()).toEqual(before);
  });

  it("confidence grows as consistent outcomes arrive; only the touched group is recomputed", async () => {
    const before = await db.centrifugeRecommendation.findMany({ orderBy: { id: "asc" } });
    const blue = before.find((r) => r.size === "1_0")!;
    for (let i = 0; i < 4; i++)
      await record({ strain: "Blue Dream", size: "1_0", rpm: 2150, yield_percent: 95, weight_check_pass_rate: 95 });
    const result = await processCentrifugeOutcomes(systemContext());
    expect(result).toEqual({ success: true, outcomes_processed: 4, strains: ["Blue Dream"] });
    const after = await db.centrifugeRecommendation.findMany({ orderBy: { id: "asc" } });
    const blueAfter = after.find((r) => r.size === "1_0")!;
    expect(blueAfter.id).toBe(blue.id); // the same row, re-spelled to the newest outcome's strain
    expect(blueAfter.strain).toBe("Blue Dream");
    expect(blueAfter.sample_size).toBe(7);
    expect(blueAfter.confidence).toBeGreaterThan(blue.confidence);
    expect(after.filter((r) => r.size === "0_5")).toEqual(before.filter((r) => r.size === "0_5"));
  });

  it("the unified and trends reads use the stored row when it answers the question, else compute", async () => {
    const learned = await unified("BLUE DREAM", "?grind_size=medium");
    expect(learned.status).toBe(200);
    const row = await db.centrifugeRecommendation.findFirstOrThrow({ where: { size: "1_0" } });
    expect(learned.json.recommendations["1_0"]).toMatchObject({
      source: "learned",
      match: "exact_grind",
      rpm: row.rpm,
      confidence: row.confidence,
      sample_size: 7,
      updated_at: row.updated_at.toISOString(),
    });
    const trend = await call(trendsRoute.GET, {
      path: "/api/centrifuge/trends/x?size=1_0&grind_size=medium",
      params: { strain: "Blue Dream" },
      headers: p.headers.apiKey,
    });
    expect(trend.json.recommendation).toMatchObject({ source: "learned", rpm: row.rpm, confidence: row.confidence });

    // Another priority mode, or outcomes not processed yet: computed on the spot.
    expect((await unified("Blue Dream", "?grind_size=medium&priority_mode=count")).json.recommendations["1_0"].source).toBe("computed");
    await record({ strain: "Blue Dream", size: "1_0", rpm: 2400 });
    const pending = await unified("Blue Dream", "?grind_size=medium");
    expect(pending.json.recommendations["1_0"]).toMatchObject({ source: "computed", sample_size: 8 });
    await processCentrifugeOutcomes(systemContext());
    expect((await unified("Blue Dream", "?grind_size=medium")).json.recommendations["1_0"]).toMatchObject({
      source: "learned",
      sample_size: 8,
      rpm: pending.json.recommendations["1_0"].rpm,
    });
  });
});

describe("POST /api/learning/run", () => {
  it("admin only (session): {success, outcomes_processed, strains}", async () => {
    await record({ strain: "Zkittlez", size: "0_7" });
    const url = "/api/learning/run";
    expect((await call(learningRoute.POST, { method: "POST", path: url, headers: p.headers.operator })).status).toBe(403);
    expect((await call(learningRoute.POST, { method: "POST", path: url, headers: p.headers.apiKey })).status).toBe(401);
    const res = await call(learningRoute.POST, { method: "POST", path: url, headers: p.headers.admin });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, outcomes_processed: 1, strains: ["Zkittlez"] });
    const event = await db.event.findFirstOrThrow({ where: { type: "learning.recommendations_updated" }, orderBy: { id: "desc" } });
    expect(event.actor).toBe("admin");
    const again = await call(learningRoute.POST, { method: "POST", path: url, headers: p.headers.admin });
    expect(again.json).toEqual({ success: true, outcomes_processed: 0, strains: [] });
  });
});
