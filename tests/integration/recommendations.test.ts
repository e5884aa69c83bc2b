import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv/sync";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as uploadRoute from "@/app/api/recommendations/upload/route";
import * as latestRoute from "@/app/api/recommendations/route";
import * as historyRoute from "@/app/api/snapshots/history/route";
import * as snapshotRoute from "@/app/api/snapshots/[timestamp]/route";
import * as compareRoute from "@/app/api/snapshots/compare-detailed/route";
import * as insightsRoute from "@/app/api/snapshots/insights/route";
import * as exportRoute from "@/app/api/snapshots/export-csv/route";
import { expectWireShape } from "@/tests/helpers/wire-shape";
import {
  compareResponseSchema,
  exportResponseSchema,
  insightsResponseSchema,
  snapshotHistoryResponseSchema,
  snapshotResponseSchema,
  uploadErrorDetailsSchema,
  uploadResponseSchema,
} from "@/lib/domain/recommendations/recommendation-response";

const FIXTURES = path.resolve(__dirname, "../fixtures/store-sales");
const fixture = (name: string) => ({ name, text: fs.readFileSync(path.join(FIXTURES, name), "utf8") });

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

/** A real multipart body (FormData encoded by the platform), sent through the route as raw text. */
async function multipart(files: { name: string; text: string }[], field = "files[]") {
  const form = new FormData();
  for (const f of files) form.append(field, new File([f.text], f.name, { type: "text/csv" }));
  const req = new Request("http://localhost/", { method: "POST", body: form });
  return { contentType: req.headers.get("content-type")!, body: await req.text() };
}

async function upload(files: { name: string; text: string }[], headers: Record<string, string> = p.headers.operator, field?: string) {
  const { contentType, body } = await multipart(files, field);
  return call(uploadRoute.POST, {
    method: "POST",
    path: "/api/recommendations/upload",
    headers: { ...headers, "content-type": contentType },
    rawBody: body,
  });
}

const post = (handler: typeof compareRoute.POST, route: string, body: object, headers: Record<string, string> = p.headers.viewer) =>
  call(handler, { method: "POST", path: `/api/snapshots/${route}`, headers, body });

describe("before any upload", () => {
  it("GET /api/recommendations is 404 and the history is empty", async () => {
    const res = await call(latestRoute.GET, { path: "/api/recommendations", headers: p.headers.viewer });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("no_snapshots");
    expect((await call(historyRoute.GET, { path: "/api/snapshots/history", headers: p.headers.viewer })).json).toEqual({ snapshots: [] });
  });
});

describe("POST /api/recommendations/upload", () => {
  let first = "";

  it("turns store CSVs into a snapshot: contract response, snapshot.created, audit", async () => {
    const res = await upload([fixture("downtown-week.csv"), fixture("northside.csv")]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, strain_count: 5, store_count: 2, timestamp: expect.stringMatching(/^\d{8}_\d{6}$/) });
    first = res.json.timestamp;
    const event = await db.event.findFirstOrThrow({ where: { type: "snapshot.created" } });
    expect(event.payload).toEqual({ timestamp: first, strain_count: 5, store_count: 2 });
    expect(await db.auditLog.count({ where: { entity: "recommendation_snapshot", entity_id: first } })).toBeGreaterThan(0);

    const latest = await call(latestRoute.GET, { path: "/api/recommendations", headers: p.headers.viewer });
    expect(latest.status).toBe(200);
    expect(latest.json).toMatchObject({
      timestamp: first,
      files_processed: ["downtown-week.csv", "northside.csv"],
      strain_count: 5,
      store_count: 2,
    });
    const blue = latest.json.data.combined.find((r: { strain: string }) => r.strain === "Blue Dream");
    // Downtown 12 on hand, 35 sold in 7 days (5/day) + Northside 30 on hand, 2.5/day → 42 ÷ 7.5 = 5.6 days
    expect(blue).toEqual({
      strain: "Blue Dream",
      total_inventory: 42,
      avg_sold_per_day: 7.5,
      store_count: 2,
      days_until_stockout: 5.6,
      urgency: "high",
      priority_score: expect.any(Number),
    });
    expect(latest.json.data.combined[0].priority_score).toBeGreaterThanOrEqual(latest.json.data.combined.at(-1).priority_score);
    const sour = latest.json.data.combined.find((r: { strain: string }) => r.strain === "Sour Diesel");
    expect(sour).toMatchObject({ total_inventory: 0, days_until_stockout: 0, urgency: "critical" });
    expect(
      latest.json.data.stores.find((r: { store: string; strain: string }) => r.store === "northside" && r.strain === "Gelato 41"),
    ).toMatchObject({ total_inventory: 1200, avg_sold_per_day: 10 });
  });

  it("accepts the sample shipped in docs/ and the `files` field name", async () => {
    const sample = {
      name: "sample-store-sales.csv",
      text: fs.readFileSync(path.resolve(__dirname, "../../docs/sample-store-sales.csv"), "utf8"),
    };
    const res = await upload([sample], p.headers.admin, "files");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ strain_count: 5, store_count: 3 });
    expect(res.json.timestamp).not.toBe(first);
  });

  it("is all or nothing: any bad row → 400 listing file and line, nothing saved", async () => {
    const before = await db.recommendationSnapshot.count();
    const res = await upload([fixture("downtown-week.csv"), fixture("bad-rows.csv"), fixture("missing-columns.csv")]);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "invalid_csv", error: "The upload has 5 invalid rows; nothing was saved" });
    expect(res.json.details.errors).toContainEqual({
      file: "bad-rows.csv",
      line: 2,
      column: "inventory",
      message: 'Inventory "ten" is not a number',
    });
    expect(res.json.details.errors).toContainEqual(expect.objectContaining({ file: "missing-columns.csv", line: 1 }));
    expect(res.json.details.error_count).toBe(6);
    expect(await db.recommendationSnapshot.count()).toBe(before);
  });

  it("refuses a request without files or not multipart, and needs a signed-in operator", async () => {
    const json = await call(uploadRoute.POST, {
      method: "POST",
      path: "/api/recommendations/upload",
      headers: p.headers.operator,
      body: {},
    });
    expect(json.status).toBe(400);
    expect(json.json.code).toBe("expected_multipart");
    const empty = await upload([], p.headers.operator);
    expect(empty.json.code).toBe("no_files");
    const { contentType } = await multipart([]);
    const huge = await call(uploadRoute.POST, {
      method: "POST",
      path: "/api/recommendations/upload",
      headers: { ...p.headers.operator, "content-type": contentType },
      rawBody: "x".repeat(16 * 1024 * 1024 + 1),
    });
    expect(huge.status).toBe(413);
    expect((await upload([fixture("northside.csv")], p.headers.viewer)).status).toBe(403);
    expect((await upload([fixture("northside.csv")], p.headers.apiKey)).status).toBe(401);
  });
});

describe("snapshots", () => {
  let t1 = "";
  let t2 = "";
  beforeAll(async () => {
    const [a, b] = (await db.recommendationSnapshot.findMany({ orderBy: { id: "asc" } })).map((s) => s.timestamp);
    t1 = a;
    // A later week at Downtown: Blue Dream sold out, Gelato restocked, Runtz gone, a new strain.
    const week2 =
      "store,strain,inventory,avg_daily_sales\nDowntown,Blue Dream,0,6\nDowntown,Gelato 41,200,2\nDowntown,Sour Diesel,30,1\nDowntown,Wedding Cake,85,1\nDowntown,Mac 1,4,2\n";
    t2 = (await upload([{ name: "downtown-week2.csv", text: week2 }])).json.timestamp;
    expect(b).toBeDefined();
  });

  it("history lists them newest first with files and counts", async () => {
    const res = await call(historyRoute.GET, { path: "/api/snapshots/history", headers: p.headers.viewer });
    expect(res.status).toBe(200);
    expect(res.json.snapshots).toHaveLength(3);
    expect(res.json.snapshots[0]).toMatchObject({ timestamp: t2, files_processed: ["downtown-week2.csv"], strain_count: 5 });
    expect(res.json.snapshots.at(-1).timestamp).toBe(t1);
    expect(
      (await call(historyRoute.GET, { path: "/api/snapshots/history?limit=1", headers: p.headers.viewer })).json.snapshots,
    ).toHaveLength(1);
    expect((await call(historyRoute.GET, { path: "/api/snapshots/history", headers: p.headers.apiKey })).status).toBe(401);
  });

  it("GET /api/snapshots/{timestamp}: the data, or 404", async () => {
    const res = await call(snapshotRoute.GET, { path: `/api/snapshots/${t1}`, params: { timestamp: t1 }, headers: p.headers.viewer });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ timestamp: t1, data: { combined: expect.any(Array), stores: expect.any(Array) } });
    const missing = await call(snapshotRoute.GET, {
      path: "/api/snapshots/20000101_000000",
      params: { timestamp: "20000101_000000" },
      headers: p.headers.viewer,
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Snapshot not found");
  });

  it("compare-detailed: per strain status, old/new and deltas, optionally for one store", async () => {
    const res = await post(compareRoute.POST, "compare-detailed", { timestamp1: t1, timestamp2: t2, store_filter: "downtown" });
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.json.comparisons.map((c: { strain: string }) => [c.strain, c]));
    expect(by["Blue Dream"]).toMatchObject({
      status: "changed",
      old: { total_inventory: 12 },
      new: { total_inventory: 0 },
      changes: { inventory_delta: -12, avg_sold_per_day_delta: 1, urgency_to: "critical" },
    });
    expect(by["Runtz"]).toMatchObject({ status: "removed", new: null, changes: { inventory_delta: -25 } });
    expect(by["Mac 1"]).toMatchObject({ status: "new", old: null });
    // "Wedding Cake, Indoor" (week 1) and "Wedding Cake" (week 2) are different products.
    expect(res.json.summary).toEqual({ new: 2, removed: 2, changed: 3, unchanged: 0 });
    const all = await post(compareRoute.POST, "compare-detailed", { timestamp1: t1, timestamp2: t2, store_filter: "" });
    expect(all.json.comparisons.find((c: { strain: string }) => c.strain === "Blue Dream").old.total_inventory).toBe(42);
    expect((await post(compareRoute.POST, "compare-detailed", { timestamp1: t1, timestamp2: t2, store_filter: "Mars" })).status).toBe(404);
    expect((await post(compareRoute.POST, "compare-detailed", { timestamp1: t1 })).status).toBe(400);
    expect((await post(compareRoute.POST, "compare-detailed", { timestamp1: t1, timestamp2: "20000101_000000" })).status).toBe(404);
  });

  it("insights: typed, titled messages", async () => {
    const res = await post(insightsRoute.POST, "insights", { timestamp1: t1, timestamp2: t2 });
    expect(res.status).toBe(200);
    for (const i of res.json.insights) {
      expect(["danger", "warning", "info", "success"]).toContain(i.type);
      expect(typeof i.title).toBe("string");
      expect(typeof i.message).toBe("string");
    }
    expect(res.json.insights[0]).toMatchObject({ type: "danger", title: "Out of stock", message: expect.stringContaining("Blue Dream") });
    expect(res.json.insights.some((i: { type: string; title: string }) => i.type === "success" && i.title === "Restocked")).toBe(true);
    expect((await post(insightsRoute.POST, "insights", {}, p.headers.apiKey)).status).toBe(401);
  });

  it("export-csv: the snapshot as CSV, written with the csv library", async () => {
    const res = await post(exportRoute.POST, "export-csv", { timestamp: t2 });
    expect(res.status).toBe(200);
    expect(res.json.filename).toBe(`recommendations_${t2}.csv`);
    const rows = parse(res.json.csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([
      "store",
      "strain",
      "total_inventory",
      "avg_sold_per_day",
      "days_until_stockout",
      "urgency",
      "priority_score",
    ]);
    expect(rows.filter((r) => r.store === "All stores")).toHaveLength(5);
    expect(rows.find((r) => r.store === "Downtown" && r.strain === "Blue Dream")).toMatchObject({
      total_inventory: "0",
      urgency: "critical",
    });
    const combined = await post(exportRoute.POST, "export-csv", { timestamp: t2, view: "combined" });
    expect(combined.json.filename).toBe(`recommendations_${t2}_combined.csv`);
    expect((await post(exportRoute.POST, "export-csv", { timestamp: "bad" })).status).toBe(400);
  });
});

describe("wire shapes (lib/domain/recommendations/recommendation-response.ts)", () => {
  it("every route's real response parses with its schema and has no unlisted field", async () => {
    const ok = await upload([fixture("downtown-week.csv"), fixture("northside.csv")]);
    const up = expectWireShape(uploadResponseSchema, ok.json, "POST /api/recommendations/upload");
    const bad = await upload([fixture("bad-rows.csv")]);
    expect(bad.status).toBe(400);
    expectWireShape(uploadErrorDetailsSchema, bad.json.details, "400 invalid_csv details");

    const latest = await call(latestRoute.GET, { path: "/api/recommendations", headers: p.headers.viewer });
    expectWireShape(snapshotResponseSchema, latest.json, "GET /api/recommendations");
    const one = await call(snapshotRoute.GET, {
      path: `/api/snapshots/${up.timestamp}`,
      params: { timestamp: up.timestamp },
      headers: p.headers.viewer,
    });
    expectWireShape(snapshotResponseSchema, one.json, "GET /api/snapshots/{timestamp}");
    const history = await call(historyRoute.GET, { path: "/api/snapshots/history", headers: p.headers.viewer });
    const h = expectWireShape(snapshotHistoryResponseSchema, history.json, "GET /api/snapshots/history");
    const older = h.snapshots.at(-1)!.timestamp;

    for (const store_filter of ["", "Downtown"]) {
      const compared = await post(compareRoute.POST, "compare-detailed", { timestamp1: older, timestamp2: up.timestamp, store_filter });
      expectWireShape(compareResponseSchema, compared.json, `POST /api/snapshots/compare-detailed (${store_filter || "all"})`);
    }
    const insights = await post(insightsRoute.POST, "insights", { timestamp1: older, timestamp2: up.timestamp });
    expectWireShape(insightsResponseSchema, insights.json, "POST /api/snapshots/insights");
    const exported = await post(exportRoute.POST, "export-csv", { timestamp: up.timestamp });
    expectWireShape(exportResponseSchema, exported.json, "POST /api/snapshots/export-csv");
  });
});

// Last: it adds a snapshot, and the tests above count them.
describe("POST /api/recommendations/upload with an Idempotency-Key", () => {
  it("a retried upload with the same Idempotency-Key replays the first answer: one snapshot", async () => {
    const before = await db.recommendationSnapshot.count();
    const key = { ...p.headers.operator, "idempotency-key": "upload-retry-1" };
    // Each call encodes the form again (a new random boundary), as a client's retry would.
    const first = await upload([fixture("northside.csv")], key);
    expect(first.status, first.text).toBe(200);
    const retry = await upload([fixture("northside.csv")], key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json).toEqual(first.json);
    expect(await db.recommendationSnapshot.count()).toBe(before + 1);
    // The same key with other files is a different request.
    const other = await upload([fixture("downtown-week.csv")], key);
    expect(other.status).toBe(409);
    expect(other.json.code).toBe("idempotency_key_reused");
    expect(await db.recommendationSnapshot.count()).toBe(before + 1);
  });
});
