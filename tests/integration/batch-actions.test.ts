import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import * as batchesRoute from "@/app/api/batches/route";
import * as planRoute from "@/app/api/batch/[id]/plan/route";
import * as archiveRoute from "@/app/api/archive/[id]/route";
import * as publicArchiveRoute from "@/app/api/public/archive/[id]/route";
import * as previewRoute from "@/app/api/allocation-preview/route";
import * as reorderRoute from "@/app/api/reorder/route";
import * as dataRoute from "@/app/api/data/route";

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
  return res.json.batch as { id: string; strain: string };
}
const post = (handler: Parameters<typeof call>[0], path: string, id: string, body: unknown, headers = p.headers.apiKey) =>
  call(handler, { method: "POST", path, params: { id }, headers, body });

describe("plan", () => {
  it("stores a plan that fits", async () => {
    const b = await newBatch({ input_grams: 1000 });
    const res = await post(planRoute.POST, `/api/batch/${b.id}/plan`, b.id, {
      planned_0_5: 800,
      planned_0_7: 400,
      planned_1_0: 300,
      plan_use_grams: 0,
    });
    expect(res.json).toEqual({ ok: true, adjusted: false, planned_0_5: 800, planned_0_7: 400, planned_1_0: 300 });
    const row = await db.batch.findUniqueOrThrow({ where: { id: b.id } });
    expect([row.planned_0_5, row.planned_0_7, row.planned_1_0]).toEqual([800, 400, 300]);
    const event = await db.event.findFirst({ where: { type: "batch.plan_updated" }, orderBy: { id: "desc" } });
    expect(event?.payload).toMatchObject({ batch_id: b.id, adjusted: false });
  });

  it("caps a plan to plan_use_grams and says adjusted", async () => {
    const b = await newBatch({ input_grams: 1000 });
    const res = await post(planRoute.POST, `/api/batch/${b.id}/plan`, b.id, {
      planned_0_5: 1000,
      planned_0_7: 0,
      planned_1_0: 500,
      plan_use_grams: 500,
    });
    expect(res.json).toEqual({ ok: true, adjusted: true, planned_0_5: 500, planned_0_7: 0, planned_1_0: 250 });
  });

  it("refuses negative or fractional units", async () => {
    const b = await newBatch();
    const res = await post(planRoute.POST, `/api/batch/${b.id}/plan`, b.id, { planned_0_5: -1, planned_0_7: 1.5, planned_1_0: 0 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.details.fields)).toEqual(expect.arrayContaining(["planned_0_5", "planned_0_7"]));
  });
});

describe("archive", () => {
  it("archives and unarchives; the same state twice is a 404", async () => {
    const b = await newBatch();
    const path = `/api/archive/${b.id}`;
    expect((await post(archiveRoute.POST, path, b.id, {})).json).toEqual({ status: "success", action: "archived" });
    expect((await post(archiveRoute.POST, path, b.id, { archive: true })).status).toBe(404);
    expect((await post(archiveRoute.POST, path, b.id, { archive: false })).json).toEqual({ status: "success", action: "unarchived" });
    expect((await post(archiveRoute.POST, "/api/archive/nope", "nope", {})).status).toBe(404);
    const events = await db.event.findMany({ where: { type: "batch.archived" } });
    expect(events.map((e) => e.payload).filter((x) => (x as { batch_id: string }).batch_id === b.id)).toEqual([
      { batch_id: b.id, strain: b.strain, archived: true },
      { batch_id: b.id, strain: b.strain, archived: false },
    ]);
  });

  it("the public route archives only Done batches (403), once (400)", async () => {
    const notDone = await newBatch();
    expect((await post(publicArchiveRoute.POST, `/api/public/archive/${notDone.id}`, notDone.id, undefined)).status).toBe(403);
    const done = await newBatch({ stage: 7 });
    const ok = await post(publicArchiveRoute.POST, `/api/public/archive/${done.id}`, done.id, undefined);
    expect(ok.json).toEqual({ status: "success", action: "archived" });
    expect((await post(publicArchiveRoute.POST, `/api/public/archive/${done.id}`, done.id, undefined)).status).toBe(400);
  });
});

describe("allocation preview", () => {
  it("answers units per size for a weight under the allocation setting", async () => {
    const res = await call(previewRoute.GET, { path: "/api/allocation-preview?weight=1000", headers: p.headers.viewer });
    expect(res.json).toMatchObject({
      allocation: [40, 30, 30],
      counts_0_5: 800,
      counts_0_7: 428,
      counts_1_0: 300,
      total_units: 1528,
      expected_output: 999.6,
    });
    const bad = await call(previewRoute.GET, { path: "/api/allocation-preview?weight=heavy", headers: p.headers.viewer });
    expect(bad.status).toBe(400);
  });
});

describe("reorder", () => {
  it("sets the display order of the whole list at once", async () => {
    const [a, b, c] = [await newBatch(), await newBatch(), await newBatch()];
    const res = await call(reorderRoute.POST, {
      method: "POST",
      path: "/api/reorder",
      headers: p.headers.apiKey,
      body: { batch_ids: [c.id, a.id, b.id] },
    });
    expect(res.json).toEqual({ status: "success" });
    const data = await call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey });
    const ids = data.json.map((x: { id: string }) => x.id).filter((id: string) => [a.id, b.id, c.id].includes(id));
    expect(ids).toEqual([c.id, a.id, b.id]);
  });

  it("refuses an empty list and refuses the whole list when one id is unknown", async () => {
    const empty = await call(reorderRoute.POST, {
      method: "POST",
      path: "/api/reorder",
      headers: p.headers.apiKey,
      body: { batch_ids: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.json.error).toBe("No batch IDs provided");
    const a = await newBatch();
    const before = (await db.batch.findUniqueOrThrow({ where: { id: a.id } })).display_order;
    const res = await call(reorderRoute.POST, {
      method: "POST",
      path: "/api/reorder",
      headers: p.headers.apiKey,
      body: { batch_ids: ["ghost", a.id] },
    });
    expect(res.status).toBe(400);
    expect(res.json.details.unknown).toEqual(["ghost"]);
    expect((await db.batch.findUniqueOrThrow({ where: { id: a.id } })).display_order).toBe(before);
  });
});
