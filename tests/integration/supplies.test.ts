import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as suppliesRoute from "@/app/api/supplies/route";
import * as supplyRoute from "@/app/api/supplies/[id]/route";
import * as updateRoute from "@/app/api/inventory/update/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

const create = (body: object, headers: Record<string, string> = p.headers.operator) =>
  call(suppliesRoute.POST, { method: "POST", path: "/api/supplies", headers, body });
const patch = (id: string, body: object, headers: Record<string, string> = p.headers.operator) =>
  call(supplyRoute.PATCH, { method: "PATCH", path: `/api/supplies/${id}`, params: { id }, headers, body });
const list = (headers: Record<string, string> = p.headers.viewer) => call(suppliesRoute.GET, { path: "/api/supplies", headers });
const events = async (type: string, supplyId: string) =>
  (await db.event.findMany({ where: { type }, orderBy: { id: "asc" } })).filter(
    (e) => (e.payload as { supply_id: string }).supply_id === supplyId,
  );

describe("/api/supplies", () => {
  let tipsId = "";

  it("creates a supply (201, audit, supply.updated) and refuses a duplicate kind + size", async () => {
    const res = await create({
      kind: "tip",
      name: "Glass tips",
      unit: "tips",
      units_per_box: 500,
      low_threshold_boxes: 2,
      boxes: 4,
      individual_units: 20,
    });
    expect(res.status).toBe(201);
    expect(res.json.supply).toMatchObject({
      kind: "tip",
      size: null,
      boxes: 4,
      individual_units: 20,
      total_units: 2020,
      low_stock: false,
      alert_dismissed: false,
      average_daily_usage: null,
    });
    tipsId = res.json.supply.id;
    expect(await events("supply.updated", tipsId)).toHaveLength(1);
    expect(await db.auditLog.count({ where: { entity: "supply", entity_id: tipsId } })).toBeGreaterThan(0);
    const dup = await create({ kind: "tip", name: "More tips", units_per_box: 500 });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe("supply_exists");
  });

  it("validates the body, and a paper supply needs a size key", async () => {
    expect((await create({ kind: "Tips!", name: "x", units_per_box: 5 })).status).toBe(400);
    expect((await create({ kind: "tube", name: "x", units_per_box: 0 })).status).toBe(400);
    expect((await create({ kind: "paper", size: "2g", name: "x", units_per_box: 5 })).json.error).toBe("Invalid size");
    expect((await create({ kind: "tube", name: "Tubes", units_per_box: 250 }, p.headers.viewer)).status).toBe(403);
  });

  it("lists supplies, including the paper rows /api/inventory maintains", async () => {
    await call(updateRoute.POST, {
      method: "POST",
      path: "/api/inventory/update",
      headers: p.headers.apiKey,
      body: { size: "0_5", box_count: 7 },
    });
    const res = await list(p.headers.apiKey);
    expect(res.status).toBe(200);
    expect(res.json.supplies.map((s: { kind: string; size: string | null }) => [s.kind, s.size])).toEqual([
      ["paper", "0_5"],
      ["tip", null],
    ]);
  });

  it("patches counts and thresholds with the same events, and dismisses by the same rules", async () => {
    const low = await patch(tipsId, { boxes: 1, individual_units: 0 });
    expect(low.status).toBe(200);
    expect(low.json.supply).toMatchObject({ total_units: 500, low_stock: true, level: "warning" });
    expect(await events("supply.low_stock", tipsId)).toHaveLength(1);

    const dismissed = await patch(tipsId, { alert_dismissed: true });
    expect(dismissed.json.supply.alert_dismissed).toBe(true);
    const again = await patch(tipsId, { alert_dismissed: true });
    expect(again.status).toBe(200);
    expect(await events("supply.alert_dismissed", tipsId)).toHaveLength(1);

    const bigger = await patch(tipsId, { units_per_box: 1000, low_threshold_boxes: 1 });
    expect(bigger.json.supply).toMatchObject({ total_units: 1000, low_stock: false, alert_dismissed: false, alert_dismissed_at: null });

    expect((await patch(tipsId, { alert_dismissed: true })).status).toBe(409);
    expect((await patch(tipsId, {})).status).toBe(400);
    expect((await patch(tipsId, { boxes: 2 }, p.headers.viewer)).status).toBe(403);
    expect((await patch("00000000-0000-4000-8000-000000000000", { boxes: 2 })).status).toBe(404);
    const one = await call(supplyRoute.GET, { path: `/api/supplies/${tipsId}`, params: { id: tipsId }, headers: p.headers.viewer });
    expect(one.json.supply).toMatchObject({ id: tipsId, units_per_box: 1000 });
  });
});
