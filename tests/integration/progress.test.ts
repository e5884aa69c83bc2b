import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import { paperSupplies } from "@/prisma/seed/supply";
import * as batchesRoute from "@/app/api/batches/route";
import * as progressRoute from "@/app/api/update-progress/[id]/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
  for (const s of paperSupplies) await db.supply.create({ data: { ...s, boxes: 10, individual_units: 0 } });
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
const progress = (id: string, body: unknown, headers: Record<string, string> = p.headers.apiKey) =>
  call(progressRoute.POST, { method: "POST", path: `/api/update-progress/${id}`, params: { id }, headers, body });

describe("POST /api/update-progress/{id}", () => {
  it("records the totals through recordCounts and answers the contract's progress block", async () => {
    const batch = await newBatch();
    await db.batch.update({
      where: { id: batch.id },
      data: { planned_0_5: 200, planned_0_7: 100, planned_1_0: 100, counts_0_5: 20, last_inventory_consumed_0_5: 20 },
    });
    // Yesterday's 20 units of 0.5 g are not today's.
    const now = new Date();
    const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
    await db.countEntry.create({ data: { batch_id: batch.id, size: "0_5", delta: 20, total_after: 20, actor: "test", at: yesterday } });

    const res = await progress(batch.id, { counts_0_5: 50, counts_0_7: 25, counts_1_0: 0 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      status: "success",
      message: expect.any(String),
      data: {
        counts_0_5: 50,
        counts_0_7: 25,
        counts_1_0: 0,
        planned_0_5: 200,
        planned_0_7: 100,
        planned_1_0: 100,
        total_actual: 75,
        total_planned: 400,
        progress_0_5: 25,
        progress_0_7: 25,
        progress_1_0: 0,
        overall_progress: 18.8,
        today_0_5: 30,
        today_0_7: 25,
        today_1_0: 0,
        today_total: 55,
      },
    });

    // The existing operation ran: entries, audit, event, papers, cached rate — one transaction.
    const entries = await db.countEntry.findMany({ where: { batch_id: batch.id, at: { gt: yesterday } }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.size, e.delta, e.total_after])).toEqual([
      ["0_5", 30, 50],
      ["0_7", 25, 25],
    ]);
    const event = await db.event.findFirst({ where: { type: "batch.counts_changed" }, orderBy: { id: "desc" } });
    expect(event?.payload).toEqual({
      batch_id: batch.id,
      strain: batch.strain,
      deltas: { "0_5": 30, "0_7": 25, "1_0": 0 },
      counts: { "0_5": 50, "0_7": 25, "1_0": 0 },
    });
    const audit = await db.auditLog.findMany({ where: { entity_id: batch.id, field: { in: ["counts_0_5", "counts_0_7"] } } });
    expect(audit.map((a) => [a.field, a.old, a.new]).sort()).toEqual([
      ["counts_0_5", "20", "50"],
      ["counts_0_7", "0", "25"],
    ]);
    const usage = await db.inventoryUsage.findMany({ where: { batch_id: batch.id, reason: "counts" } });
    expect(usage.map((u) => [u.size, u.units_used]).sort()).toEqual([
      ["0_5", 30],
      ["0_7", 25],
    ]); // papers beyond the 20 already consumed
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.rate_calculation_time).toEqual(entries[0].at);
    expect(row.rate_history).toHaveLength(2);
  });

  it("0 % when nothing is planned; unchanged totals still answer", async () => {
    const batch = await newBatch();
    const res = await progress(batch.id, { counts_0_5: 0, counts_0_7: 0, counts_1_0: 0 }, p.headers.operator);
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ total_planned: 0, overall_progress: 0, progress_0_5: 0, today_total: 0 });
  });

  it("requires all three counts (400 with details.fields) and changes nothing", async () => {
    const batch = await newBatch();
    const events = await db.event.count();
    const missing = await progress(batch.id, { counts_0_5: 10, counts_1_0: 5 });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: "Invalid value for counts_0_7", code: "validation_failed" });
    expect(missing.json.details.fields.counts_0_7).toBeDefined();
    for (const body of [
      { counts_0_5: -1, counts_0_7: 0, counts_1_0: 0 },
      { counts_0_5: "10", counts_0_7: 0, counts_1_0: 0 },
      { counts_0_5: 1.5, counts_0_7: 0, counts_1_0: 0 },
    ]) {
      const res = await progress(batch.id, body);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe("Invalid value for counts_0_5");
    }
    expect(await db.event.count()).toBe(events);
    expect(await db.countEntry.count({ where: { batch_id: batch.id } })).toBe(0);
  });

  it("404s an unknown batch; viewers may not write", async () => {
    const missing = await progress("nope", { counts_0_5: 1, counts_0_7: 1, counts_1_0: 1 });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Batch not found", code: "batch_not_found" });
    const batch = await newBatch();
    expect((await progress(batch.id, { counts_0_5: 1, counts_0_7: 1, counts_1_0: 1 }, p.headers.viewer)).status).toBe(403);
  });
});
