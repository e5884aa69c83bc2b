import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { hasRole } from "@/lib/auth/roles";
import { route, type RouteRule } from "@/lib/http/route";
import { CONTRACT_ROUTES, contractAuth, contractKey, type ContractRoute } from "@/lib/http/contract-routes";
import { resetApiRateLimiter } from "@/lib/http/rate-limit";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { createApiKey } from "@/prisma/seed/user";
import { buildBatch, metrcTag } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { API_DIR, findRoutes, HTTP_METHODS } from "@/tests/helpers/api-routes";

/**
 * API-CONTRACT.md §"unknown fields": the old server ignored body fields and query parameters it did
 * not know, and ApexAPI and browsers send them (`/api/data?_=1717000000`). Every contract route
 * answers a request with an extra field and an extra parameter exactly as it answers the same
 * request without them; the routes we added still refuse unknown fields. The list of contract
 * routes is lib/http/contract-routes.ts, and every route file's `contract` flag must agree with it.
 */

type Handler = Parameters<typeof call>[0] & { rule: RouteRule };
const METHODS = HTTP_METHODS;

/** Every handler on disk: "METHOD /api/x/[id]" → the exported handler (next-auth's is not ours). */
async function handlersOnDisk(): Promise<Map<string, Handler>> {
  const out = new Map<string, Handler>();
  for (const { urlPattern, file } of findRoutes(API_DIR)) {
    if (urlPattern === "/api/auth/[...nextauth]") continue;
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) if (typeof mod[method] === "function") out.set(contractKey(method, urlPattern), mod[method] as Handler);
  }
  return out;
}

describe("which routes are tolerant", () => {
  it("a route is built with contract: true exactly when API-CONTRACT.md lists it, and every listed route exists", async () => {
    const handlers = await handlersOnDisk();
    expect(handlers.size).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const [key, handler] of handlers) {
      const listed = contractAuth(key.split(" ")[0], key.split(" ")[1]) !== undefined;
      if (handler.rule.contract !== listed) wrong.push(`${key}: contract flag ${handler.rule.contract}, listed ${listed}`);
    }
    expect(wrong).toEqual([]);
    const missing = Object.keys(CONTRACT_ROUTES).filter((k) => !handlers.has(contractKey(k.split(" ")[0], k.split(" ")[1])));
    expect(missing).toEqual([]);
  });
});

describe("routes we added stay strict", () => {
  it("POST /api/batches answers an unknown field with 400 and writes nothing; GET /api/events an unknown parameter", async () => {
    const batches = (await import("@/app/api/batches/route")) as unknown as { POST: Handler };
    const before = await db.batch.count();
    const created = await call(batches.POST, {
      method: "POST",
      path: "/api/batches",
      headers: p.headers.apiKey,
      body: { ...buildBatch(), client_version: "2.0.0" },
    });
    expect(created.status, created.text).toBe(400);
    expect(created.json).toMatchObject({
      code: "validation_failed",
      details: { fields: { body: ['Unrecognized key: "client_version"'] } },
    });
    expect(await db.batch.count()).toBe(before);
    const events = (await import("@/app/api/events/route")) as unknown as { GET: Handler };
    const feed = await call(events.GET, { path: "/api/events?_=1717000000", headers: p.headers.apiKey });
    expect(feed.status, feed.text).toBe(400);
    expect(feed.json.details.location).toBe("query");
  });
});

describe("route({ contract: true }) drops unknown keys, nested ones too, and keeps every other check", () => {
  const schema = z.strictObject({
    grams: z.number().positive(),
    sku: z.strictObject({ name: z.string() }).optional(),
    items: z.array(z.strictObject({ n: z.number() })).optional(),
    mode: z
      .union([z.strictObject({ kind: z.literal("a"), a: z.number() }), z.strictObject({ kind: z.literal("b"), b: z.string() })])
      .optional(),
  });
  const query = z.strictObject({ limit: z.coerce.number().int().optional() });
  const echo = (contract: boolean) =>
    route({ contract, auth: "public", role: "viewer", body: schema, query }, ({ body, query }) => ({ body, query })) as Handler;
  const post = (handler: Handler, body: unknown, qs = "") => call(handler, { method: "POST", path: `/api/echo${qs}`, body });

  it("ignores them on a contract route and logs their paths at debug", async () => {
    const lines: string[] = [];
    const { logger } = await import("@/lib/log");
    const spy = vi.spyOn(logger, "debug").mockImplementation(((obj: unknown) => {
      lines.push(JSON.stringify(obj));
    }) as typeof logger.debug);
    try {
      const res = await post(
        echo(true),
        { grams: 2, extra: 1, sku: { name: "x", colour: "red" }, items: [{ n: 1, z: 0 }], mode: { kind: "b", b: "y", c: 3 } },
        "?limit=5&_=1717000000",
      );
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({
        body: { grams: 2, sku: { name: "x" }, items: [{ n: 1 }], mode: { kind: "b", b: "y" } },
        query: { limit: 5 },
      });
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { location: "query", dropped: ["_"] },
      { location: "body", dropped: expect.arrayContaining(["extra", "sku.colour", "items.0.z", "mode.c"]) },
    ]);
  });

  it("an unknown key beside a bad value: the same 400 as without the unknown key", async () => {
    const withExtra = await post(echo(true), { grams: -1, extra: 1 });
    const without = await post(echo(true), { grams: -1 });
    expect(withExtra.status).toBe(400);
    expect(withExtra.json).toEqual(without.json);
    expect((await post(echo(true), { grams: 1 }, "?limit=x&_=1")).status).toBe(400);
  });

  it("a route we added still answers an unknown field or parameter with 400", async () => {
    const body = await post(echo(false), { grams: 2, extra: 1 });
    expect(body.status).toBe(400);
    expect(body.json).toMatchObject({
      code: "validation_failed",
      details: { location: "body", fields: { body: ['Unrecognized key: "extra"'] } },
    });
    expect((await post(echo(false), { grams: 2 }, "?_=1")).status).toBe(400);
  });
});

/** Two copies of everything a contract route acts on: a mutation's plain call uses [0], its tolerant twin [1]. */
interface Fixture {
  batch: string;
  toArchive: string;
  done: string;
  metrc: string;
  toRemove: string;
  newMetrc: string;
  holdId: string;
}
const fx: Fixture[] = [];
let p: Awaited<ReturnType<typeof createPrincipals>>;
const snapshots: string[] = [];

interface Case {
  key: ContractRoute;
  module: () => Promise<Record<string, unknown>>;
  path: (f: Fixture) => string;
  params?: (f: Fixture) => Record<string, string>;
  query?: string;
  body?: (f: Fixture) => unknown;
  multipart?: boolean;
  /**
   * Acts on state the twins share (paper alerts, alert cooldowns): the first plain call changes
   * it, so the tolerant call is compared with a second plain call made in the same state.
   */
  shared?: boolean;
  /** The plain request's answer when it is not a 2xx (a test without Pushover keys is refused). */
  refused?: { status: number; code: string };
}

const id = (f: Fixture) => ({ id: f.batch });
const pkg = (f: Fixture) => ({ metrc: f.metrc });
const fg = (suffix: string) => (f: Fixture) => `/api/finished-goods/${f.metrc}${suffix}`;
const snapshotBody = (extra: object) => () => ({ timestamp1: snapshots[0], timestamp2: snapshots[1], ...extra });

/** Every route of lib/http/contract-routes.ts with a request it accepts, in an order that keeps each valid. */
const CASES: Case[] = [
  // Batches
  { key: "GET /api/data", module: () => import("@/app/api/data/route"), path: () => "/api/data", query: "include_history=true" },
  { key: "GET /api/archive", module: () => import("@/app/api/archive/route"), path: () => "/api/archive" },
  {
    key: "GET /api/batches/last-updated",
    module: () => import("@/app/api/batches/last-updated/route"),
    path: () => "/api/batches/last-updated",
  },
  {
    key: "POST /api/batch/{id}/counts",
    module: () => import("@/app/api/batch/[id]/counts/route"),
    path: (f) => `/api/batch/${f.batch}/counts`,
    params: id,
    body: () => ({ counts_0_5: 40, counts_1_0: 10 }),
  },
  {
    key: "POST /api/update-progress/{id}",
    module: () => import("@/app/api/update-progress/[id]/route"),
    path: (f) => `/api/update-progress/${f.batch}`,
    params: id,
    body: () => ({ counts_0_5: 50, counts_0_7: 0, counts_1_0: 12 }),
  },
  {
    key: "POST /api/batch/{id}/plan",
    module: () => import("@/app/api/batch/[id]/plan/route"),
    path: (f) => `/api/batch/${f.batch}/plan`,
    params: id,
    body: () => ({ planned_0_5: 200, planned_0_7: 0, planned_1_0: 100, plan_use_grams: 0 }),
  },
  {
    key: "GET /api/batch/{id}/rate-history",
    module: () => import("@/app/api/batch/[id]/rate-history/route"),
    path: (f) => `/api/batch/${f.batch}/rate-history`,
    params: id,
  },
  {
    key: "POST /api/batch/{id}/centrifuge",
    module: () => import("@/app/api/batch/[id]/centrifuge/route"),
    path: (f) => `/api/batch/${f.batch}/centrifuge`,
    params: id,
    body: () => ({
      centrifuge_rpm: 1975,
      centrifuge_time_seconds: 12,
      centrifuge_cycles: 2,
      centrifuge_fill_gauge_cycle1: 3,
      centrifuge_fill_gauge_cycle2: 4,
    }),
  },
  {
    key: "GET /api/strain/{strain}/rate-projection",
    module: () => import("@/app/api/strain/[strain]/rate-projection/route"),
    path: () => "/api/strain/Runtz/rate-projection",
    params: () => ({ strain: "Runtz" }),
  },
  {
    key: "POST /api/archive/{id}",
    module: () => import("@/app/api/archive/[id]/route"),
    path: (f) => `/api/archive/${f.toArchive}`,
    params: (f) => ({ id: f.toArchive }),
    body: () => ({ archive: true }),
  },
  {
    key: "POST /api/public/archive/{id}",
    module: () => import("@/app/api/public/archive/[id]/route"),
    path: (f) => `/api/public/archive/${f.done}`,
    params: (f) => ({ id: f.done }),
    body: () => ({}),
  },
  {
    key: "GET /api/allocation-preview",
    module: () => import("@/app/api/allocation-preview/route"),
    path: () => "/api/allocation-preview",
    query: "weight=2000",
  },
  {
    key: "POST /api/reorder",
    module: () => import("@/app/api/reorder/route"),
    path: () => "/api/reorder",
    body: () => ({ batch_ids: [fx[0].batch, fx[1].batch] }),
  },
  {
    key: "POST /api/weight-check/{id}",
    module: () => import("@/app/api/weight-check/[id]/route"),
    path: (f) => `/api/weight-check/${f.batch}`,
    params: id,
    body: () => ({ size: "0.5g", sample_weight: 6.2, count_at_measurement: 50 }),
  },
  {
    key: "GET /api/weight-analytics/{id}",
    module: () => import("@/app/api/weight-analytics/[id]/route"),
    path: (f) => `/api/weight-analytics/${f.batch}`,
    params: id,
  },
  // Papers / cones
  { key: "GET /api/inventory", module: () => import("@/app/api/inventory/route"), path: () => "/api/inventory/" },
  {
    key: "POST /api/inventory/update",
    module: () => import("@/app/api/inventory/update/route"),
    path: () => "/api/inventory/update",
    body: () => ({ size: "0_5", box_count: 3, individual_papers: 10 }),
  },
  {
    key: "POST /api/inventory/settings",
    module: () => import("@/app/api/inventory/settings/route"),
    path: () => "/api/inventory/settings",
    body: () => ({ thresholds: { "0_5": 5 }, papers_per_box: { "0_5": 1000 } }),
  },
  {
    key: "POST /api/dismiss-inventory-alert/{size}",
    module: () => import("@/app/api/dismiss-inventory-alert/[size]/route"),
    path: () => "/api/dismiss-inventory-alert/0_7",
    params: () => ({ size: "0_7" }),
    body: () => ({}),
    shared: true,
  },
  {
    key: "POST /api/dismiss-inventory-alerts",
    module: () => import("@/app/api/dismiss-inventory-alerts/route"),
    path: () => "/api/dismiss-inventory-alerts",
    body: () => ({}),
    shared: true,
  },
  // Finished goods
  {
    key: "GET /api/finished-goods",
    module: () => import("@/app/api/finished-goods/route"),
    path: () => "/api/finished-goods/",
    query: "status=active",
  },
  {
    key: "POST /api/finished-goods",
    module: () => import("@/app/api/finished-goods/route"),
    path: () => "/api/finished-goods/",
    body: (f) => ({ metrc_number: f.newMetrc, strain: "Sour Diesel", grams: 120, notes: "new" }),
  },
  { key: "GET /api/finished-goods/{metrc}", module: () => import("@/app/api/finished-goods/[metrc]/route"), path: fg(""), params: pkg },
  {
    key: "PUT /api/finished-goods/{metrc}",
    module: () => import("@/app/api/finished-goods/[metrc]/route"),
    path: fg(""),
    params: pkg,
    body: () => ({ notes: "shelf B", reason: "moved" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/deduct",
    module: () => import("@/app/api/finished-goods/[metrc]/deduct/route"),
    path: fg("/deduct"),
    params: pkg,
    body: () => ({ units: 2, unit_size: "6pack", reason: "sale" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/add",
    module: () => import("@/app/api/finished-goods/[metrc]/add/route"),
    path: fg("/add"),
    params: pkg,
    body: () => ({ grams: 2.5, reason: "recount" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/order",
    module: () => import("@/app/api/finished-goods/[metrc]/order/route"),
    path: fg("/order"),
    params: pkg,
    body: () => ({ grams: 30, reason: "PO 77" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/set-ordered",
    module: () => import("@/app/api/finished-goods/[metrc]/set-ordered/route"),
    path: fg("/set-ordered"),
    params: pkg,
    body: () => ({ grams: 40 }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/complete-order",
    module: () => import("@/app/api/finished-goods/[metrc]/complete-order/route"),
    path: fg("/complete-order"),
    params: pkg,
    body: () => ({ grams: 10, order_id: 1234, reason: "shipped" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/pack",
    module: () => import("@/app/api/finished-goods/[metrc]/pack/route"),
    path: fg("/pack"),
    params: pkg,
    body: () => ({ grams: 12, reason: "packed" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/set-packed",
    module: () => import("@/app/api/finished-goods/[metrc]/set-packed/route"),
    path: fg("/set-packed"),
    params: pkg,
    body: () => ({ grams: 15 }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/sync",
    module: () => import("@/app/api/finished-goods/[metrc]/sync/route"),
    path: fg("/sync"),
    params: pkg,
    body: () => ({ ordered_grams: 35, packed_grams: 15, reason: "apex sync" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/physical-override",
    module: () => import("@/app/api/finished-goods/[metrc]/physical-override/route"),
    path: fg("/physical-override"),
    params: pkg,
    body: () => ({ physical_grams: 860, reason: "weighed" }),
  },
  {
    key: "GET /api/finished-goods/summary",
    module: () => import("@/app/api/finished-goods/summary/route"),
    path: () => "/api/finished-goods/summary",
  },
  {
    key: "GET /api/finished-goods/history",
    module: () => import("@/app/api/finished-goods/history/route"),
    path: () => "/api/finished-goods/history",
    query: "limit=50",
  },
  {
    key: "GET /api/finished-goods/calculator",
    module: () => import("@/app/api/finished-goods/calculator/route"),
    path: () => "/api/finished-goods/calculator",
    query: "grams=100",
  },
  {
    key: "GET /api/finished-goods/last-updated",
    module: () => import("@/app/api/finished-goods/last-updated/route"),
    path: () => "/api/finished-goods/last-updated",
  },
  {
    key: "POST /api/finished-goods/{metrc}/set-skus",
    module: () => import("@/app/api/finished-goods/[metrc]/set-skus/route"),
    path: fg("/set-skus"),
    params: pkg,
    body: () => ({ skus: [{ product_name: "Runtz 6pk", unit_size: 0.5, pack_size: 6, packs_ordered: 10 }] }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/apex-auto",
    module: () => import("@/app/api/finished-goods/[metrc]/apex-auto/route"),
    path: fg("/apex-auto"),
    params: pkg,
    body: () => ({ enabled: true }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/custom-skus",
    module: () => import("@/app/api/finished-goods/[metrc]/custom-skus/route"),
    path: fg("/custom-skus"),
    params: pkg,
    body: () => ({ custom_skus: { cocoa_blunt_1g: { name: "Cocoa Blunt 1g", grams_per_unit: 1 } } }),
  },
  {
    key: "PUT /api/finished-goods/{metrc}/custom-skus",
    module: () => import("@/app/api/finished-goods/[metrc]/custom-skus/route"),
    path: fg("/custom-skus"),
    params: pkg,
    body: () => ({ sku_key: "premium", sku_def: { name: "Premium 0.8g", grams_per_unit: 0.8 } }),
  },
  {
    key: "GET /api/finished-goods/{metrc}/custom-skus",
    module: () => import("@/app/api/finished-goods/[metrc]/custom-skus/route"),
    path: fg("/custom-skus"),
    params: pkg,
  },
  {
    key: "DELETE /api/finished-goods/{metrc}/custom-skus/{sku_key}",
    module: () => import("@/app/api/finished-goods/[metrc]/custom-skus/[sku_key]/route"),
    path: fg("/custom-skus/premium"),
    params: (f) => ({ metrc: f.metrc, sku_key: "premium" }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/apex-units",
    module: () => import("@/app/api/finished-goods/[metrc]/apex-units/route"),
    path: fg("/apex-units"),
    params: pkg,
    body: () => ({ singles_0_5g: 40, magnetic_box_6pk: 3 }),
  },
  {
    key: "POST /api/finished-goods/{metrc}/apex-settings",
    module: () => import("@/app/api/finished-goods/[metrc]/apex-settings/route"),
    path: fg("/apex-settings"),
    params: pkg,
    body: () => ({ settings: { singles_1g: { excluded: true }, magnetic_box_6pk: { manual_units: 3 } }, auto_calculate: true }),
  },
  {
    key: "GET /api/finished-goods/{metrc}/apex-calculate",
    module: () => import("@/app/api/finished-goods/[metrc]/apex-calculate/route"),
    path: fg("/apex-calculate"),
    params: pkg,
  },
  {
    key: "POST /api/finished-goods/{metrc}/apex-decrement",
    module: () => import("@/app/api/finished-goods/[metrc]/apex-decrement/route"),
    path: fg("/apex-decrement"),
    params: pkg,
    body: () => ({ sku: "singles_0_5g", units: 2, reason: "apex order", idempotency_key: "apex-order-1" }),
  },
  {
    key: "GET /api/finished-goods/{metrc}/history",
    module: () => import("@/app/api/finished-goods/[metrc]/history/route"),
    path: fg("/history"),
    params: pkg,
  },
  {
    key: "DELETE /api/finished-goods/{metrc}",
    module: () => import("@/app/api/finished-goods/[metrc]/route"),
    path: (f) => `/api/finished-goods/${f.toRemove}`,
    params: (f) => ({ metrc: f.toRemove }),
  },
  // Wholesale
  {
    key: "GET /api/wholesale/inventory",
    module: () => import("@/app/api/wholesale/inventory/route"),
    path: () => "/api/wholesale/inventory",
  },
  {
    key: "POST /api/wholesale/hold",
    module: () => import("@/app/api/wholesale/hold/route"),
    path: () => "/api/wholesale/hold",
    body: (f) => ({ metrc_number: f.metrc, sku_name: "magnetic_box_12pk", quantity: 2, notes: "Store 12" }),
  },
  { key: "GET /api/wholesale/holds", module: () => import("@/app/api/wholesale/holds/route"), path: () => "/api/wholesale/holds" },
  {
    key: "DELETE /api/wholesale/hold/{hold_id}",
    module: () => import("@/app/api/wholesale/hold/[hold_id]/route"),
    path: (f) => `/api/wholesale/hold/${f.holdId}`,
    params: (f) => ({ hold_id: f.holdId }),
  },
  {
    key: "GET /api/wholesale/last-updated",
    module: () => import("@/app/api/wholesale/last-updated/route"),
    path: () => "/api/wholesale/last-updated",
  },
  // Centrifuge
  {
    key: "POST /api/centrifuge/calculate",
    module: () => import("@/app/api/centrifuge/calculate/route"),
    path: () => "/api/centrifuge/calculate",
    body: () => ({ rpm: 2200, centrifuge_type: "silver_bullet" }),
  },
  {
    key: "POST /api/centrifuge/compare",
    module: () => import("@/app/api/centrifuge/compare/route"),
    path: () => "/api/centrifuge/compare",
    body: () => ({ rpm: 2200, source_centrifuge: "lab_geek" }),
  },
  {
    key: "GET /api/centrifuge/curve-data",
    module: () => import("@/app/api/centrifuge/curve-data/route"),
    path: () => "/api/centrifuge/curve-data",
    query: "rpm_min=500&rpm_max=1000&step=250",
  },
  {
    key: "GET /api/centrifuge/settings-guide",
    module: () => import("@/app/api/centrifuge/settings-guide/route"),
    path: () => "/api/centrifuge/settings-guide",
    query: "material=standard",
  },
  {
    key: "POST /api/centrifuge/impulse-calculate",
    module: () => import("@/app/api/centrifuge/impulse-calculate/route"),
    path: () => "/api/centrifuge/impulse-calculate",
    body: () => ({ rpm: 2200, time_seconds: 15, weight_grams: 1, centrifuge_type: "silver_bullet" }),
  },
  {
    key: "POST /api/centrifuge/target-match",
    module: () => import("@/app/api/centrifuge/target-match/route"),
    path: () => "/api/centrifuge/target-match",
    body: () => ({ target_impulse: 80, adjust_mode: "time", rpm: 2200, weight_grams: 1 }),
  },
  {
    key: "POST /api/centrifuge/batch-comparison",
    module: () => import("@/app/api/centrifuge/batch-comparison/route"),
    path: () => "/api/centrifuge/batch-comparison",
    body: () => ({ rpm: 2200, time_seconds: 15, centrifuge_type: "silver_bullet", batch_weights: [0.5, 1, 2] }),
  },
  {
    key: "GET /api/centrifuge/impulse-zones",
    module: () => import("@/app/api/centrifuge/impulse-zones/route"),
    path: () => "/api/centrifuge/impulse-zones",
  },
  {
    key: "GET /api/centrifuge/trends/{strain}",
    module: () => import("@/app/api/centrifuge/trends/[strain]/route"),
    path: () => "/api/centrifuge/trends/Runtz",
    params: () => ({ strain: "Runtz" }),
    query: "grind_size=fine",
  },
  {
    key: "GET /api/centrifuge-trends/{strain}",
    module: () => import("@/app/api/centrifuge-trends/[strain]/route"),
    path: () => "/api/centrifuge-trends/Runtz",
    params: () => ({ strain: "Runtz" }),
  },
  {
    key: "GET /api/centrifuge-recommendations-unified/{strain}",
    module: () => import("@/app/api/centrifuge-recommendations-unified/[strain]/route"),
    path: () => "/api/centrifuge-recommendations-unified/Runtz",
    params: () => ({ strain: "Runtz" }),
    query: "priority_mode=count",
  },
  {
    key: "GET /api/centrifuge-history/{strain}",
    module: () => import("@/app/api/centrifuge-history/[strain]/route"),
    path: () => "/api/centrifuge-history/Runtz",
    params: () => ({ strain: "Runtz" }),
  },
  // Recommendations and snapshots
  {
    key: "POST /api/recommendations/upload",
    module: () => import("@/app/api/recommendations/upload/route"),
    path: () => "/api/recommendations/upload",
    multipart: true,
  },
  { key: "GET /api/recommendations", module: () => import("@/app/api/recommendations/route"), path: () => "/api/recommendations" },
  { key: "GET /api/snapshots/history", module: () => import("@/app/api/snapshots/history/route"), path: () => "/api/snapshots/history" },
  {
    key: "GET /api/snapshots/{timestamp}",
    module: () => import("@/app/api/snapshots/[timestamp]/route"),
    path: () => `/api/snapshots/${snapshots[0]}`,
    params: () => ({ timestamp: snapshots[0] }),
  },
  {
    key: "POST /api/snapshots/compare-detailed",
    module: () => import("@/app/api/snapshots/compare-detailed/route"),
    path: () => "/api/snapshots/compare-detailed",
    body: snapshotBody({ store_filter: "" }),
  },
  {
    key: "POST /api/snapshots/insights",
    module: () => import("@/app/api/snapshots/insights/route"),
    path: () => "/api/snapshots/insights",
    body: snapshotBody({}),
  },
  {
    key: "POST /api/snapshots/export-csv",
    module: () => import("@/app/api/snapshots/export-csv/route"),
    path: () => "/api/snapshots/export-csv",
    body: () => ({ timestamp: snapshots[1] }),
  },
  // Misc
  { key: "GET /api/version", module: () => import("@/app/api/version/route"), path: () => "/api/version" },
  { key: "GET /api/backup-status", module: () => import("@/app/api/backup-status/route"), path: () => "/api/backup-status" },
  { key: "GET /api/settings", module: () => import("@/app/api/settings/route"), path: () => "/api/settings" },
  { key: "GET /api/api-key", module: () => import("@/app/api/api-key/route"), path: () => "/api/api-key" },
  {
    key: "POST /api/api-key/regenerate",
    module: () => import("@/app/api/api-key/regenerate/route"),
    path: () => "/api/api-key/regenerate",
    body: () => ({ grace_hours: 1 }),
  },
  { key: "GET /api/overview", module: () => import("@/app/api/overview/route"), path: () => "/api/overview" },
  { key: "GET /api/audit", module: () => import("@/app/api/audit/route"), path: () => "/api/audit", query: "limit=20" },
  {
    key: "GET /api/production-history",
    module: () => import("@/app/api/production-history/route"),
    path: () => "/api/production-history",
    query: "days=14",
  },
  { key: "GET /api/apex-sync-status", module: () => import("@/app/api/apex-sync-status/route"), path: () => "/api/apex-sync-status" },
  {
    key: "POST /api/apex-sync-trigger",
    module: () => import("@/app/api/apex-sync-trigger/route"),
    path: () => "/api/apex-sync-trigger",
    body: () => ({}),
  },
  { key: "GET /api/pushover/settings", module: () => import("@/app/api/pushover/settings/route"), path: () => "/api/pushover/settings" },
  {
    key: "PUT /api/pushover/settings",
    module: () => import("@/app/api/pushover/settings/route"),
    path: () => "/api/pushover/settings",
    body: () => ({ enabled: false, warning_grams: 400, critical_grams: 50, cooldown_hours: 2 }),
  },
  {
    key: "POST /api/pushover/test",
    module: () => import("@/app/api/pushover/test/route"),
    path: () => "/api/pushover/test",
    query: "level=warning",
    body: () => ({}),
    // No Pushover keys in tests (nothing leaves the machine): the domain refuses after parsing.
    refused: { status: 400, code: "pushover_not_configured" },
  },
  {
    key: "POST /api/pushover/check-alerts",
    module: () => import("@/app/api/pushover/check-alerts/route"),
    path: () => "/api/pushover/check-alerts",
    body: () => ({}),
    shared: true,
  },
];

/** A CSV upload as the browser sends it (FormData), plus an extra form field when tolerant. */
async function multipart(extraField: boolean) {
  const form = new FormData();
  const csv = "store,strain,inventory,avg_daily_sales\nDowntown,Blue Dream,12,5\nDowntown,Runtz,25,1\n";
  form.append("files[]", new File([csv], "downtown.csv", { type: "text/csv" }));
  if (extraField) form.append("client_version", "2.0.0");
  const req = new Request("http://localhost/", { method: "POST", body: form });
  return { contentType: req.headers.get("content-type")!, body: await req.text() };
}

/** What differs between two equal answers made a moment apart on twin fixtures. */
function normalise(value: unknown, twins: Map<string, string>): unknown {
  if (typeof value === "string") {
    if (twins.has(value)) return normalise(twins.get(value), new Map());
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return "<time>";
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return "<uuid>";
    if (/^prt_/.test(value)) return "<key>";
    let out = value;
    for (const [from, to] of twins) out = out.split(from).join(to);
    return out
      .replace(/\d{8}_\d{6}/g, "<snapshot>")
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "<time>")
      .replace(/\|\d+$/, "|<n>");
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, twins));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        (k === "id" || k === "hold_id" || k === "check_id" || k === "event_id") && typeof v === "number" ? "<id>" : normalise(v, twins);
    }
    return out;
  }
  return value;
}

beforeAll(async () => {
  process.env.API_RATE_LIMIT_PER_MIN = "0";
  process.env.SESSION_RATE_LIMIT_PER_MIN = "0";
  resetApiRateLimiter();
  p = await createPrincipals();
  // POST /api/api-key/regenerate replaces the newest key: a decoy keeps the caller's own key alive.
  const decoy = await createApiKey(db, { name: "decoy" });
  await db.apiKey.update({ where: { id: decoy.id }, data: { created_at: new Date(Date.now() + 60_000) } });
  const batches = (await import("@/app/api/batches/route")) as unknown as { POST: Handler };
  const stage = (await import("@/app/api/batches/[id]/stage/route")) as unknown as { POST: Handler };
  const fgList = (await import("@/app/api/finished-goods/route")) as unknown as { POST: Handler };
  const hold = (await import("@/app/api/wholesale/hold/route")) as unknown as { POST: Handler };
  const post = async (h: Handler, pathname: string, body: unknown, params: Record<string, string> = {}, headers = p.headers.admin) => {
    const res = await call(h, { method: "POST", path: pathname, params, headers, body });
    expect(res.status, `${pathname}: ${res.text}`).toBeLessThan(300);
    return res.json;
  };
  for (let i = 0; i < 2; i++) {
    const batch = (await post(batches.POST, "/api/batches", buildBatch({ strain: "Runtz", input_grams: 2000 }))).batch.id;
    await post(stage.POST, `/api/batches/${batch}/stage`, { stage: 2 }, { id: batch });
    const toArchive = (await post(batches.POST, "/api/batches", buildBatch({ strain: "Gelato 41" }))).batch.id;
    const done = (await post(batches.POST, "/api/batches", buildBatch({ strain: "Zkittlez" }))).batch.id;
    await post(stage.POST, `/api/batches/${done}/stage`, { stage: 7 }, { id: done });
    const metrc = (await post(fgList.POST, "/api/finished-goods/", buildFinishedGood({ strain: "Runtz", grams: 900 }))).package
      .metrc_number;
    const toRemove = (await post(fgList.POST, "/api/finished-goods/", buildFinishedGood({ strain: "Runtz", grams: 50 }))).package
      .metrc_number;
    const holdId = String(
      (await post(hold.POST, "/api/wholesale/hold", { metrc_number: metrc, sku_name: "singles_1g", quantity: 3 })).hold_id,
    );
    fx.push({ batch, toArchive, done, metrc, toRemove, newMetrc: metrcTag(), holdId });
  }
  const upload = (await import("@/app/api/recommendations/upload/route")) as unknown as { POST: Handler };
  for (let i = 0; i < 2; i++) {
    const { contentType, body } = await multipart(false);
    const res = await call(upload.POST, {
      method: "POST",
      path: "/api/recommendations/upload",
      headers: { ...p.headers.admin, "content-type": contentType },
      rawBody: body,
    });
    expect(res.status, res.text).toBe(200);
    snapshots.push(res.json.timestamp);
  }
}, 60_000);

describe("every contract route: an unknown field and an unknown query parameter change nothing", () => {
  it("the table covers every route of lib/http/contract-routes.ts once", () => {
    expect(CASES.map((c) => c.key).sort()).toEqual(Object.keys(CONTRACT_ROUTES).sort());
  });

  for (const c of CASES) {
    it(c.key, async () => {
      const [method] = c.key.split(" ");
      const handler = (await c.module())[method] as Handler;
      expect(handler.rule.contract).toBe(true);
      // ApexAPI's key where the rule lets it in (it is who sends extras); an admin's browser otherwise.
      const headers = handler.rule.auth === "key|session" && hasRole("operator", handler.rule.role) ? p.headers.apiKey : p.headers.admin;
      const mutation = method !== "GET";
      const send = async (tolerant: boolean) => {
        const f = fx[mutation && tolerant ? 1 : 0];
        const qs = [c.query, tolerant ? "_=1717000000" : undefined].filter(Boolean).join("&");
        const pathname = `${c.path(f)}${qs ? `?${qs}` : ""}`;
        if (c.multipart) {
          const { contentType, body } = await multipart(tolerant);
          return call(handler, { method, path: pathname, headers: { ...headers, "content-type": contentType }, rawBody: body });
        }
        const base = c.body?.(f);
        const body = base === undefined ? undefined : tolerant ? { ...(base as object), client_version: "2.0.0" } : base;
        return call(handler, { method, path: pathname, params: c.params?.(f), headers, body });
      };
      let plain = await send(false);
      // The plain request is one the route accepts (or the documented refusal), not a 400 of its own.
      if (c.refused) expect(plain.json).toMatchObject({ code: c.refused.code });
      const accepted = c.refused ? plain.status === c.refused.status : plain.status >= 200 && plain.status < 300;
      expect(accepted, `${c.key} → ${plain.status} ${plain.text.slice(0, 300)}`).toBe(true);
      if (c.shared) plain = await send(false);
      const tolerant = await send(true);
      const label = `${c.key}\nplain    → ${plain.status} ${plain.text.slice(0, 300)}\ntolerant → ${tolerant.status} ${tolerant.text.slice(0, 300)}`;
      expect(tolerant.status, label).toBe(plain.status);
      const twins = new Map(
        (Object.keys(fx[0]) as (keyof Fixture)[]).filter((k) => fx[0][k] !== fx[1][k]).map((k) => [fx[1][k], fx[0][k]] as [string, string]),
      );
      expect(normalise(tolerant.json, twins), label).toEqual(normalise(plain.json, twins));
    });
  }
});
