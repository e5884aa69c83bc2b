import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import * as inventoryRoute from "@/app/api/inventory/route";
import * as updateRoute from "@/app/api/inventory/update/route";
import * as settingsRoute from "@/app/api/inventory/settings/route";
import * as dismissRoute from "@/app/api/dismiss-inventory-alert/[size]/route";
import * as dismissAllRoute from "@/app/api/dismiss-inventory-alerts/route";
import * as batchesRoute from "@/app/api/batches/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

const getInventory = (headers: Record<string, string> = p.headers.viewer) => call(inventoryRoute.GET, { path: "/api/inventory/", headers });
const update = (body: object, headers: Record<string, string> = p.headers.apiKey) =>
  call(updateRoute.POST, { method: "POST", path: "/api/inventory/update", headers, body });
const settings = (body: object, headers: Record<string, string> = p.headers.apiKey) =>
  call(settingsRoute.POST, { method: "POST", path: "/api/inventory/settings", headers, body });
const dismiss = (size: string, headers: Record<string, string> = p.headers.operator) =>
  call(dismissRoute.POST, { method: "POST", path: `/api/dismiss-inventory-alert/${size}`, params: { size }, headers });
const dismissAll = (headers: Record<string, string> = p.headers.operator) =>
  call(dismissAllRoute.POST, { method: "POST", path: "/api/dismiss-inventory-alerts", headers });
const events = async (type: string, size?: string) =>
  (await db.event.findMany({ where: { type }, orderBy: { id: "asc" } })).filter(
    (e) => !size || (e.payload as { size?: string }).size === size,
  );
const paper = (size: string) => db.supply.findUniqueOrThrow({ where: { kind_size: { kind: "paper", size } } });

async function newBatch() {
  const res = await call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers: p.headers.apiKey, body: buildBatch() });
  return res.json.batch.id as string;
}
const counts = (id: string, body: object) =>
  call(countsRoute.POST, { method: "POST", path: `/api/batch/${id}/counts`, params: { id }, headers: p.headers.apiKey, body });

const daysAgo = (n: number, hour = 10) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  d.setHours(hour, 0, 0, 0);
  return d;
};

describe("GET /api/inventory/", () => {
  it("answers the contract shape with the defaults before any paper row exists (and writes nothing)", async () => {
    const res = await getInventory(p.headers.apiKey);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      inventory: {
        current_boxes: { "0_5": 0, "0_7": 0, "1_0": 0 },
        papers_per_box: { "0_5": 1000, "0_7": 800, "1_0": 800 },
        alert_thresholds: { "0_5": 5, "0_7": 5, "1_0": 5 },
      },
      current_papers: { "0_5": 0, "0_7": 0, "1_0": 0 },
      analytics: {
        predicted_days_remaining: { "0_5": null, "0_7": null, "1_0": null },
        average_daily_usage: { "0_5": null, "0_7": null, "1_0": null },
        usage_window_days: 14,
      },
    });
    expect(res.json.alerts).toHaveLength(3);
    expect(res.json.alerts[0]).toMatchObject({
      size: "0_5",
      papers_left: 0,
      boxes: 0,
      threshold: 5,
      dismissed: false,
      level: "critical",
      message: expect.stringContaining("0.5g"),
    });
    expect(await db.supply.count()).toBe(0);
    expect((await getInventory(p.headers.anonymous)).status).toBe(401);
  });

  it("predicts days remaining from the last 14 days, counting production days only", async () => {
    await update({ size: "0_5", box_count: 10, individual_papers: 0 });
    const s = await paper("0_5");
    // 1,500 papers over three production days (a quiet week in between) → 500 a day → 20 days for 10,000.
    for (const [n, used] of [
      [1, 600],
      [3, 600],
      [10, 300],
    ] as const) {
      await db.inventoryUsage.create({ data: { supply_id: s.id, size: "0_5", units_used: used, reason: "counts", at: daysAgo(n) } });
    }
    await db.inventoryUsage.create({ data: { supply_id: s.id, size: "0_5", units_used: 99_999, reason: "counts", at: daysAgo(20) } }); // outside the window
    const res = await getInventory();
    expect(res.json.analytics.production_days).toBe(3);
    expect(res.json.analytics.average_daily_usage["0_5"]).toBe(500);
    expect(res.json.analytics.predicted_days_remaining["0_5"]).toBe(20);
    expect(res.json.analytics.predicted_days_remaining["0_7"]).toBeNull();
    await db.inventoryUsage.deleteMany({});
  });
});

describe("POST /api/inventory/update", () => {
  it("refuses an unknown size with the contract's message, and bad counts", async () => {
    for (const size of ["0_6", "", undefined]) {
      const res = await update({ size, box_count: 1 });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: "Invalid size", code: "invalid_size" });
    }
    const neg = await update({ size: "0_5", box_count: -1 });
    expect(neg.status).toBe(400);
    expect(neg.json.details.fields.box_count).toBeDefined();
    expect((await update({ size: "0_5", box_count: 1.5 })).status).toBe(400);
    expect((await update({ size: "0_5" })).json.code).toBe("nothing_to_update");
  });

  it("records a physical count: response shape, audit, supply.updated, low_stock once when crossing", async () => {
    const before = (await events("supply.low_stock", "0_7")).length;
    const res = await update({ size: "0_7", box_count: 10, individual_papers: 25 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "success", inventory: { boxes: 10, individual_papers: 25, total_papers: 8025 } });
    expect(res.json.message).toContain("0.7g");
    const s = await paper("0_7");
    expect(await db.auditLog.count({ where: { entity: "supply", entity_id: s.id, field: "boxes" } })).toBeGreaterThan(0);
    const updated = await events("supply.updated", "0_7");
    expect(updated.at(-1)!.payload).toMatchObject({
      supply_id: s.id,
      kind: "paper",
      size: "0_7",
      boxes: 10,
      individual_units: 25,
      total_units: 8025,
    });
    expect(updated.at(-1)!.actor).toBe("api-key:ApexAPI");

    await update({ size: "0.7g", box_count: "3", individual_papers: "0" });
    await update({ size: "0_7", box_count: 2 });
    expect((await events("supply.low_stock", "0_7")).length).toBe(before + 1);
    const inv = await getInventory();
    expect(inv.json.alerts.find((a: { size: string }) => a.size === "0_7")).toMatchObject({
      papers_left: 1600,
      boxes: 2,
      dismissed: false,
      level: "warning",
    });
  });

  it("needs the operator role", async () => {
    expect((await update({ size: "0_5", box_count: 1 }, p.headers.viewer)).status).toBe(403);
    expect((await update({ size: "0_5", box_count: 1 }, p.headers.operator)).status).toBe(200);
  });
});

describe("POST /api/inventory/settings", () => {
  it("sets thresholds and papers per box per size", async () => {
    await update({ size: "1_0", box_count: 6, individual_papers: 0 });
    const lowBefore = (await events("supply.low_stock", "1_0")).length;
    const res = await settings({ thresholds: { "1_0": 8, "0.5g": 4 }, papers_per_box: { "1_0": 900 } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "success", message: expect.any(String) });
    const inv = await getInventory();
    expect(inv.json.inventory.alert_thresholds).toMatchObject({ "0_5": 4, "1_0": 8 });
    expect(inv.json.inventory.papers_per_box["1_0"]).toBe(900);
    expect(inv.json.current_papers["1_0"]).toBe(5400);
    expect((await events("supply.low_stock", "1_0")).length).toBe(lowBefore + 1);
  });

  it("refuses unknown sizes, bad values and an empty body", async () => {
    expect((await settings({ thresholds: { "2_0": 3 } })).json).toMatchObject({ error: "Invalid size" });
    expect((await settings({ papers_per_box: { "0_5": 0 } })).status).toBe(400);
    expect((await settings({ thresholds: { "0_5": -2 } })).status).toBe(400);
    expect((await settings({})).json.code).toBe("nothing_to_update");
    expect((await settings({ thresholds: { "0_5": 5 } }, p.headers.viewer)).status).toBe(403);
  });
});

describe("dismissing low-stock alerts", () => {
  it("is for signed-in operators only", async () => {
    expect((await dismiss("0_5", p.headers.apiKey)).status).toBe(401);
    expect((await dismiss("0_5", p.headers.viewer)).status).toBe(403);
    expect((await dismiss("nope")).json).toMatchObject({ error: "Invalid size" });
  });

  it("stays dismissed as papers are used, until one further full box is gone", async () => {
    await settings({ thresholds: { "0_7": 5 }, papers_per_box: { "0_7": 800 } });
    await update({ size: "0_7", box_count: 4, individual_papers: 0 }); // 3,200 < 4,000
    const res = await dismiss("0_7");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "success", message: expect.stringContaining("dismissed") });
    expect((await events("supply.alert_dismissed", "0_7")).at(-1)!.payload).toMatchObject({ total_units: 3200 });
    const alert = async () => (await getInventory()).json.alerts.find((a: { size: string }) => a.size === "0_7");
    expect(await alert()).toMatchObject({ dismissed: true, papers_left: 3200 });
    expect((await dismiss("0_7")).json.message).toContain("already dismissed");

    const lowBefore = (await events("supply.low_stock", "0_7")).length;
    const batch = await newBatch();
    await counts(batch, { counts_0_7: 500 });
    expect(await alert()).toMatchObject({ dismissed: true, papers_left: 2700 });
    await counts(batch, { counts_0_7: 799 });
    expect(await alert()).toMatchObject({ dismissed: true, papers_left: 2401 });
    await counts(batch, { counts_0_7: 800 }); // 2,400 = one full box below the dismissed 3,200
    expect(await alert()).toMatchObject({ dismissed: false, papers_left: 2400 });
    expect((await paper("0_7")).alert_dismissed_at).toBeNull();
    expect((await events("supply.low_stock", "0_7")).length).toBe(lowBefore + 1);
  });

  it("a restock to the threshold clears the dismissal; the next low is a fresh alert", async () => {
    await dismiss("0_7");
    expect((await paper("0_7")).alert_dismissed_at).not.toBeNull();
    await update({ size: "0_7", box_count: 6 });
    expect((await paper("0_7")).alert_dismissed_at).toBeNull();
    const res = await update({ size: "0_7", box_count: 4 });
    expect(res.status).toBe(200);
    const inv = await getInventory();
    expect(inv.json.alerts.find((a: { size: string }) => a.size === "0_7")).toMatchObject({ dismissed: false });
  });

  it("says so when there is no alert; Dismiss All dismisses every current one", async () => {
    await update({ size: "0_5", box_count: 20 });
    const none = await dismiss("0_5");
    expect(none.status).toBe(200);
    expect(none.json.message).toContain("No low-stock alert");
    await update({ size: "1_0", box_count: 1 });
    const all = await dismissAll();
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ status: "success", dismissed: ["0_7", "1_0"] });
    const inv = await getInventory();
    expect(inv.json.alerts.every((a: { dismissed: boolean }) => a.dismissed)).toBe(true);
    expect((await dismissAll()).json.message).toBe("No alerts to dismiss");
    expect((await dismissAll(p.headers.apiKey)).status).toBe(401);
  });
});
