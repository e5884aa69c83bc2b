import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { expectWireShape } from "@/tests/helpers/wire-shape";
import { buildBatch } from "@/prisma/seed/batch";
import { analyticsResponseSchema } from "@/lib/domain/analytics/analytics-response";
import { stageTimes } from "@/lib/domain/analytics/analytics-series";
import * as batchesRoute from "@/app/api/batches/route";
import * as analyticsRoute from "@/app/api/analytics/route";

const HOUR = 3_600_000;
const now = new Date();
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

describe("stageTimes (pure)", () => {
  it("a stay lasts until the next move, the current stage until now or archiving, all clipped to the period", () => {
    const since = ago(48);
    const times = stageTimes(
      [
        { id: "a", stage: 3, stage_entered_at: ago(10), archived_at: null },
        { id: "b", stage: 7, stage_entered_at: ago(20), archived_at: ago(5) },
      ],
      [
        { batch_id: "a", to_stage: 2, at: ago(100) },
        { batch_id: "a", to_stage: 3, at: ago(10) },
        { batch_id: "b", to_stage: 2, at: ago(30) },
        { batch_id: "b", to_stage: 7, at: ago(20) },
      ],
      since,
      now,
    );
    // a: In progress from 100 h ago (clipped to 48) until 10 h ago = 38 h; b: 10 h in progress.
    expect(times[2]).toEqual({ stage: 2, stage_name: "In progress", total_hours: 48, batch_count: 2, average_hours: 24 });
    expect(times[3]).toMatchObject({ total_hours: 10, batch_count: 1, average_hours: 10 });
    expect(times[7]).toMatchObject({ total_hours: 15, batch_count: 1 });
    expect(times[0]).toMatchObject({ total_hours: 0, batch_count: 0, average_hours: null });
  });
});

describe("GET /api/analytics", () => {
  it("answers its schema: every stage listed, one papers row per day, usage summed per size", async () => {
    const res = await call(batchesRoute.POST, {
      method: "POST",
      path: "/api/batches",
      headers: p.headers.apiKey,
      body: buildBatch({ strain: "Analytics Kush", stage: 2 }),
    });
    expect(res.status).toBe(201);
    const id = res.json.batch.id as string;
    await db.batch.update({ where: { id }, data: { stage_entered_at: ago(6) } });
    await db.inventoryUsage.createMany({
      data: [
        { size: "0_5", units_used: 30, batch_id: id, at: ago(0.01) },
        { size: "1_0", units_used: 12, batch_id: id, at: ago(0.01) },
      ],
    });

    const got = await call(analyticsRoute.GET, { path: "/api/analytics?days=14", headers: p.headers.viewer });
    expect(got.status).toBe(200);
    const body = expectWireShape(analyticsResponseSchema, got.json, "GET /api/analytics");
    expect(body.days).toBe(14);
    expect(body.stage_times.map((s) => s.stage)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(body.stage_times[2].total_hours).toBeGreaterThanOrEqual(6);
    expect(body.papers_used).toHaveLength(14);
    const today = body.papers_used.at(-1)!;
    expect(today["0_5"]).toBeGreaterThanOrEqual(30);
    expect(today.total).toBe(today["0_5"] + today["0_7"] + today["1_0"]);

    expect((await call(analyticsRoute.GET, { path: "/api/analytics?days=0", headers: p.headers.viewer })).status).toBe(400);
    expect((await call(analyticsRoute.GET, { path: "/api/analytics", headers: {} })).status).toBe(401);
  });
});
