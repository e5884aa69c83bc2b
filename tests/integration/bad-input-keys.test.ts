import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { hasRole } from "@/lib/auth/roles";
import { route, type RouteRule } from "@/lib/http/route";
import { validationError } from "@/lib/http/errors";
import { resetApiRateLimiter } from "@/lib/http/rate-limit";
import { matchesFilter } from "@/lib/events/filter";
import { mapEventType } from "@/lib/events/sources/feed-page";
import type { EventEnvelope } from "@/lib/events/catalogue";
import { ImportError, readCsvTable } from "@/lib/domain/imports/csv-table";
import { preparePapersImport } from "@/lib/domain/imports/import-papers";
import { normalizePaperSize } from "@/lib/domain/supplies/paper-sizes";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch, metrcTag } from "@/prisma/seed/batch";
import { buildOutcome } from "@/prisma/seed/centrifuge";
import { paperSupplies } from "@/prisma/seed/supply";
import * as dismissAlert from "@/app/api/dismiss-inventory-alert/[size]/route";
import * as inventoryUpdate from "@/app/api/inventory/update/route";
import * as inventorySettings from "@/app/api/inventory/settings/route";
import * as customSkusRoute from "@/app/api/finished-goods/[metrc]/custom-skus/route";
import * as customSkuRoute from "@/app/api/finished-goods/[metrc]/custom-skus/[sku_key]/route";
import * as apexSettingsRoute from "@/app/api/finished-goods/[metrc]/apex-settings/route";
import * as apexUnitsRoute from "@/app/api/finished-goods/[metrc]/apex-units/route";
import * as apexCalculateRoute from "@/app/api/finished-goods/[metrc]/apex-calculate/route";
import * as apexDecrementRoute from "@/app/api/finished-goods/[metrc]/apex-decrement/route";
import * as historyRoute from "@/app/api/finished-goods/[metrc]/history/route";
import * as holdRoute from "@/app/api/wholesale/hold/route";
import * as wholesaleInventoryRoute from "@/app/api/wholesale/inventory/route";
import * as uploadRoute from "@/app/api/recommendations/upload/route";
import * as latestRecommendations from "@/app/api/recommendations/route";
import * as outcomesRoute from "@/app/api/centrifuge/outcomes/route";
import * as unifiedRoute from "@/app/api/centrifuge-recommendations-unified/[strain]/route";
import * as trendsRoute from "@/app/api/centrifuge/trends/[strain]/route";
import * as learningRoute from "@/app/api/learning/run/route";
import * as compareRoute from "@/app/api/centrifuge/compare/route";
import * as centrifugeHistoryRoute from "@/app/api/centrifuge-history/[strain]/route";
import * as settingsGuideRoute from "@/app/api/centrifuge/settings-guide/route";
import * as eventsRoute from "@/app/api/events/route";
import { API_DIR, findRoutes, HTTP_METHODS } from "@/tests/helpers/api-routes";

/**
 * Keys an attacker (or an unlucky user) picks because plain objects answer them: `obj["__proto__"]`
 * is Object.prototype, `obj["constructor"]` is Object, … Every route with a path parameter gets
 * each of them in each parameter (admin session, and the API key where the rule lets it in): never
 * a 500, always the SPEC §3 error shape (or a legitimate 2xx where any text is a valid id), and
 * nothing written. Then the body / query / CSV places where such keys used to be looked up or
 * stored, each with the behaviour a user would expect.
 */

const BAD_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"] as const;

const METHODS = HTTP_METHODS;

/** Routes with a path parameter; next-auth's catch-all is not ours (and not built with route()). */
const paramRoutes = findRoutes(API_DIR).filter((r) => /\[[^.\]]+\]/.test(r.urlPattern));

/** Routes whose parameter is a name, where any text is a valid id: a 2xx that echoes it is right. */
const ANY_TEXT_IS_AN_ID = new Set([
  "/api/centrifuge/trends/[strain]",
  "/api/centrifuge-trends/[strain]",
  "/api/centrifuge-history/[strain]",
  "/api/centrifuge-recommendations-unified/[strain]",
  "/api/strain/[strain]/rate-projection",
]);

/** Recall searches: any text is a tag to look for, and an unknown one is a 200 with empty lists. */
const RECALL_SEARCH = new Set(["/api/genealogy/source/[metrc]", "/api/genealogy/package/[metrc]"]);

/** A body the route accepts, so the handler (not body validation) meets the bad parameter. */
const BODIES: Record<string, unknown> = {
  "PATCH /api/admin/event-sources/[id]": { name: "renamed" },
  "PATCH /api/admin/jobs/[name]": { enabled: false },
  "POST /api/admin/subscribers/[id]/recover": { from: "2026-01-01T00:00:00Z" },
  "PATCH /api/admin/subscribers/[id]": { name: "renamed" },
  "POST /api/archive/[id]": { archive: true },
  "POST /api/batch/[id]/centrifuge": { centrifuge_rpm: 1500 },
  "POST /api/batch/[id]/counts": { counts_0_5: 10 },
  "POST /api/batch/[id]/plan": { planned_0_5: 10, planned_0_7: 0, planned_1_0: 0 },
  "PATCH /api/batches/[id]": { bay_number: "B9" },
  "POST /api/batches/[id]/stage": { stage: 1 },
  "POST /api/batches/[id]/inputs": { source_metrc_number: "1A4060300000000000000ABC", grams: 1 },
  "PATCH /api/batches/[id]/inputs/[inputId]": { grams: 1 },
  "POST /api/finished-goods/[metrc]/add": { grams: 1 },
  "POST /api/finished-goods/[metrc]/apex-auto": { enabled: true },
  "POST /api/finished-goods/[metrc]/apex-decrement": { sku: "singles_1g", units: 1 },
  "POST /api/finished-goods/[metrc]/apex-settings": { settings: { singles_1g: { excluded: true } } },
  "POST /api/finished-goods/[metrc]/apex-units": { singles_1g: 1 },
  "POST /api/finished-goods/[metrc]/complete-order": { grams: 1 },
  "POST /api/finished-goods/[metrc]/custom-skus": { custom_skus: { premium: { grams_per_unit: 0.8 } } },
  "PUT /api/finished-goods/[metrc]/custom-skus": { sku_key: "premium", sku_def: { grams_per_unit: 0.8 } },
  "POST /api/finished-goods/[metrc]/deduct": { grams: 1 },
  "POST /api/finished-goods/[metrc]/order": { grams: 1 },
  "POST /api/finished-goods/[metrc]/pack": { grams: 1 },
  "POST /api/finished-goods/[metrc]/physical-override": { physical_grams: 1 },
  "PUT /api/finished-goods/[metrc]": { notes: "x" },
  "POST /api/finished-goods/[metrc]/set-ordered": { grams: 1 },
  "POST /api/finished-goods/[metrc]/set-packed": { grams: 1 },
  "POST /api/finished-goods/[metrc]/set-skus": { skus: [] },
  "POST /api/finished-goods/[metrc]/sync": { ordered_grams: 1 },
  "PATCH /api/supplies/[id]": { name: "renamed" },
  "PUT /api/supplies/[id]/bom": { uses: [{ applies_to: "unit_0_5", quantity: 1 }] },
  "POST /api/update-progress/[id]": { counts_0_5: 1, counts_0_7: 0, counts_1_0: 0 },
  "PATCH /api/users/[id]": { role: "viewer" },
  "POST /api/weight-check/[id]": { size: "0.5g", sample_weight: 6 },
};

type Handler = Parameters<typeof call>[0] & { rule: RouteRule };

let p: Awaited<ReturnType<typeof createPrincipals>>;
/** Real values for the other parameter of two-parameter routes. */
const real: Record<string, string> = {};

beforeAll(async () => {
  // Hundreds of calls by one key and one admin: the API rate limits are not what is tested here.
  process.env.API_RATE_LIMIT_PER_MIN = "0";
  process.env.SESSION_RATE_LIMIT_PER_MIN = "0";
  resetApiRateLimiter();
  p = await createPrincipals();
  const { strain, input_grams, harvest_date } = buildBatch();
  const batch = await db.batch.create({ data: { strain, input_grams, harvest_date, stage: 2 } });
  const metrc = metrcTag();
  await db.finishedGood.create({
    data: {
      metrc_number: metrc,
      strain: "Blue Dream",
      initial_grams: 500,
      current_grams: 500,
      custom_skus: { premium: { name: "Premium 0.8g", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" } },
    },
  });
  Object.assign(real, { id: batch.id, metrc, sku_key: "premium", check_id: "1" });
});

/** Row counts that any write would move: every mutation writes an audit row and an event. */
async function counts() {
  const [audit, events, batches, packages, history, supplies, settings, users, keys, holds, outcomes, jobs] = await Promise.all([
    db.auditLog.count(),
    db.event.count(),
    db.batch.count(),
    db.finishedGood.count(),
    db.finishedGoodHistory.count(),
    db.supply.count(),
    db.setting.count(),
    db.user.count(),
    db.apiKey.count(),
    db.wholesaleHold.count(),
    db.centrifugeOutcome.count(),
    db.job.count(),
  ]);
  return { audit, events, batches, packages, history, supplies, settings, users, keys, holds, outcomes, jobs };
}

function expectErrorShape(res: Awaited<ReturnType<typeof call>>, label: string) {
  expect(res.headers.get("content-type") ?? "", label).toContain("application/json");
  expect(typeof res.json?.error, label).toBe("string");
  expect(typeof res.json?.code, label).toBe("string");
}

describe("every path parameter × __proto__, constructor, toString, hasOwnProperty, valueOf", () => {
  it("finds the routes with path parameters", () => {
    expect(paramRoutes.length).toBeGreaterThan(40);
    expect(paramRoutes.map((r) => r.urlPattern)).toContain("/api/dismiss-inventory-alert/[size]");
  });

  for (const { urlPattern, file } of paramRoutes) {
    it(`${urlPattern}: never a 500, the error shape, nothing written`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const names = [...urlPattern.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
      for (const method of METHODS.filter((m) => typeof mod[m] === "function")) {
        const handler = mod[method] as Handler;
        const callers: ("admin" | "apiKey")[] = ["admin"];
        if (handler.rule.auth === "key|session" && hasRole("operator", handler.rule.role)) callers.push("apiKey");
        for (const target of names) {
          for (const bad of BAD_KEYS) {
            const params: Record<string, string> = {};
            const url = urlPattern.replace(/\[([^\]]+)\]/g, (_m, name: string) => {
              params[name] = name === target ? bad : (real[name] ?? bad);
              return encodeURIComponent(params[name]);
            });
            for (const caller of callers) {
              const before = await counts();
              const res = await call(handler, {
                method,
                path: url,
                params,
                headers: p.headers[caller],
                body: method === "GET" || method === "DELETE" ? undefined : (BODIES[`${method} ${urlPattern}`] ?? {}),
              });
              const label = `${method} ${url} (${target}=${bad}) as ${caller} → ${res.status} ${res.text.slice(0, 200)}`;
              expect(res.status, label).toBeLessThan(500);
              if (RECALL_SEARCH.has(urlPattern)) {
                expect(res.status, label).toBe(200);
                expect(res.json.metrc_number, label).toBe(bad.toUpperCase());
                expect(res.json.packages, label).toEqual([]);
              } else if (ANY_TEXT_IS_AN_ID.has(urlPattern)) {
                expect(res.status, label).toBe(200);
                expect(res.json.strain ?? res.json.strain_name, label).toBe(bad);
              } else {
                expect(res.status, label).toBeGreaterThanOrEqual(400);
                expectErrorShape(res, label);
                // The parameter decided the answer, not a body the route would refuse anyway.
                expect(res.json.details?.location, label).not.toBe("body");
              }
              expect(await counts(), label).toEqual(before);
            }
          }
        }
      }
    });
  }
});

// ───────── paper sizes: path parameter, body field, settings keys, CSV cell ─────────

describe("paper sizes", () => {
  const post = (
    handler: Handler,
    url: string,
    body: unknown,
    headers: Record<string, string> = p.headers.admin,
    params?: Record<string, string>,
  ) => call(handler, { method: "POST", path: url, params, headers, body });

  it("POST /api/dismiss-inventory-alert/{size}: 400 Invalid size for every prototype name; a real size still dismisses", async () => {
    for (const bad of BAD_KEYS) {
      const res = await post(dismissAlert.POST as Handler, `/api/dismiss-inventory-alert/${bad}`, {}, p.headers.operator, { size: bad });
      expect(res.status, bad).toBe(400);
      expect(res.json, bad).toEqual({ error: "Invalid size", code: "invalid_size", details: { accepted: ["0_5", "0_7", "1_0"] } });
    }
    await db.supply.create({ data: { ...paperSupplies[0], boxes: 1, individual_units: 0, last_updated: new Date() } });
    const res = await post(dismissAlert.POST as Handler, "/api/dismiss-inventory-alert/0.5g", {}, p.headers.operator, { size: "0.5g" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "success", dismissed: true });
  });

  it("POST /api/inventory/update: size constructor / __proto__ → 400 Invalid size, nothing written", async () => {
    const before = await counts();
    for (const size of BAD_KEYS) {
      const res = await post(inventoryUpdate.POST as Handler, "/api/inventory/update", { size, box_count: 3 }, p.headers.apiKey);
      expect(res.status, size).toBe(400);
      expect(res.json.error, size).toBe("Invalid size");
    }
    expect(await counts()).toEqual(before);
  });

  it("POST /api/inventory/settings: a threshold keyed constructor is 400 Invalid size; keyed __proto__ is 400 invalid_key", async () => {
    const before = await counts();
    const ctor = await post(inventorySettings.POST as Handler, "/api/inventory/settings", { thresholds: { constructor: 3, "0_7": 2 } });
    expect(ctor.status).toBe(400);
    expect(ctor.json.error).toBe("Invalid size");
    // JSON.parse keeps "__proto__" as an own key; zod would drop it silently, so the route refuses it.
    const raw = await call(inventorySettings.POST as Handler, {
      method: "POST",
      path: "/api/inventory/settings",
      headers: { ...p.headers.admin, "content-type": "application/json" },
      rawBody: '{"thresholds": {"__proto__": 3, "0_7": 2}}',
    });
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({
      error: 'The key "__proto__" is not allowed in a request body',
      code: "invalid_key",
      details: { location: "body", fields: { "thresholds.__proto__": ['The key "__proto__" is not allowed'] } },
    });
    expect(await counts()).toEqual(before);
  });

  it("normalizePaperSize: prototype names are no size (the papers CSV import reports the row instead of crashing)", () => {
    for (const bad of [...BAD_KEYS, "tostring", "valueof"]) expect(normalizePaperSize(bad), bad).toBeNull();
    expect(normalizePaperSize("0.7 g")).toBe("0_7");
    const table = readCsvTable("size,boxes\nconstructor,3\n__proto__,4\n0.5g,5\n");
    let error: unknown;
    try {
      preparePapersImport(table);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).problems).toEqual([
      'Row 2: Size "constructor" is not one of 0.5g, 0.7g, 1.0g',
      'Row 3: Size "__proto__" is not one of 0.5g, 0.7g, 1.0g',
    ]);
  });
});

// ───────── request bodies and queries in general ─────────

describe("the route wrapper", () => {
  it('refuses a "__proto__" key anywhere in a JSON body, also spelled with a \\u escape', async () => {
    const before = await counts();
    const res = await call(apexSettingsRoute.POST as Handler, {
      method: "POST",
      path: `/api/finished-goods/${real.metrc}/apex-settings`,
      params: { metrc: real.metrc },
      headers: { ...p.headers.apiKey, "content-type": "application/json" },
      rawBody: '{"settings": {"singles_1g": {"excluded": true}, "\\u005f_proto__": {"excluded": true}}}',
    });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("invalid_key");
    expect(res.json.details.fields).toEqual({ "settings.__proto__": ['The key "__proto__" is not allowed'] });
    expect(await counts()).toEqual(before);
  });

  it("?__proto__=a&__proto__=b is an unknown query parameter, not a new prototype for the query object", async () => {
    const strict = await call(eventsRoute.GET as Handler, { path: "/api/events?__proto__=a&__proto__=b", headers: p.headers.admin });
    expect(strict.status).toBe(400);
    expect(strict.json.code).toBe("validation_failed");
    // A lenient query schema ignores it and reads its own parameters as usual.
    const lax = await call(settingsGuideRoute.GET as Handler, {
      path: "/api/centrifuge/settings-guide?__proto__=a&__proto__=b&material=constructor",
      headers: p.headers.admin,
    });
    expect(lax.status).toBe(200);
    expect(lax.json).toMatchObject({ material: "standard", requested_material: "constructor" });
  });

  it("a query object never takes a prototype from the query string (a `sort` parameter stays unset)", async () => {
    const echo = route({ auth: "public", role: "viewer", query: z.object({ sort: z.string().optional() }) }, ({ query }) => ({ query }));
    const res = await call(echo as Handler, { path: "/api/echo?__proto__=a&__proto__=b" });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ query: {} });
    const set = await call(echo as Handler, { path: "/api/echo?sort=name&__proto__=a&__proto__=b" });
    expect(set.json).toEqual({ query: { sort: "name" } });
  });

  it("validation details keyed by a client's key (constructor, toString) list it instead of crashing", () => {
    const parsed = z.record(z.string(), z.number()).safeParse({ constructor: "x", toString: "y", valueOf: 1 });
    expect(parsed.success).toBe(false);
    const err = validationError(parsed.error!, "body");
    expect(JSON.parse(JSON.stringify(err.details))).toEqual({
      location: "body",
      fields: {
        constructor: ["Invalid input: expected number, received string"],
        toString: ["Invalid input: expected number, received string"],
      },
    });
  });
});

// ───────── custom SKUs, Apex settings and units ─────────

describe("SKU keys chosen by people", () => {
  let metrc = "";
  const at = (suffix = "") => `/api/finished-goods/${metrc}${suffix}`;
  const send = (handler: Handler, method: string, suffix: string, body?: unknown, params: Record<string, string> = {}) =>
    call(handler, { method, path: at(suffix), params: { metrc, ...params }, headers: p.headers.apiKey, body });

  beforeAll(async () => {
    metrc = metrcTag();
    await db.finishedGood.create({ data: { metrc_number: metrc, strain: "Gelato 41", initial_grams: 100, current_grams: 100 } });
  });

  it('PUT custom-skus with sku_key "__proto__" is a 400 naming the field; nothing is stored', async () => {
    const before = await counts();
    const res = await send(customSkusRoute.PUT as Handler, "PUT", "/custom-skus", {
      sku_key: "__proto__",
      sku_def: { grams_per_unit: 0.8 },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "validation_failed", details: { fields: { sku_key: ['"__proto__" cannot be a SKU key'] } } });
    const trimmed = await send(customSkusRoute.POST as Handler, "POST", "/custom-skus", {
      custom_skus: { " __proto__ ": { grams_per_unit: 1 } },
    });
    expect(trimmed.status).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).custom_skus).toBeNull();
  });

  it('a custom SKU keyed "constructor" is stored, listed, calculated and held like any other', async () => {
    const put = await send(customSkusRoute.PUT as Handler, "PUT", "/custom-skus", {
      sku_key: "constructor",
      sku_def: { name: "Builder 0.8g", grams_per_unit: 0.8 },
    });
    expect(put.status).toBe(200);
    expect(put.json.sku_def).toEqual({ name: "Builder 0.8g", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" });
    expect(put.json.custom_skus).toEqual({ constructor: { name: "Builder 0.8g", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" } });
    const history = await call(historyRoute.GET as Handler, { path: at("/history"), params: { metrc }, headers: p.headers.apiKey });
    expect(JSON.stringify(history.json)).toContain('"action":"add"');

    const get = await send(customSkusRoute.GET as Handler, "GET", "/custom-skus");
    expect(get.json.effective_skus.constructor).toMatchObject({ name: "Builder 0.8g", source: "custom", grams_per_unit: 0.8 });

    // 100 g: 125 units of 0.8 g (was NaN → null when settings/held units were read off a plain {}).
    const calc = await send(apexCalculateRoute.GET as Handler, "GET", "/apex-calculate");
    expect(calc.json.calculated_units.constructor).toMatchObject({
      units: 125,
      grams_used: 100,
      excluded: false,
      manual_units: null,
      held_units: 0,
    });

    const hold = await call(holdRoute.POST as Handler, {
      method: "POST",
      path: "/api/wholesale/hold",
      headers: p.headers.operator,
      body: { metrc_number: metrc, sku_name: "constructor", quantity: 10 },
    });
    expect(hold.status, hold.text).toBe(200);
    const afterHold = await send(apexCalculateRoute.GET as Handler, "GET", "/apex-calculate");
    expect(afterHold.json.held_grams).toBe(8);
    expect(afterHold.json.calculated_units.constructor).toMatchObject({ units: 115, held_units: 10 });
    const wholesale = await call(wholesaleInventoryRoute.GET as Handler, { path: "/api/wholesale/inventory", headers: p.headers.operator });
    const pkg = wholesale.json.strains
      .flatMap((s: { packages: { metrc_number: string }[] }) => s.packages)
      .find((x: { metrc_number: string }) => x.metrc_number === metrc);
    expect(pkg.skus["Builder 0.8g"]).toEqual({ units: 125, available: 115, held: 10 });
    await db.wholesaleHold.deleteMany({ where: { metrc_number: metrc } });
  });

  it("apex-settings: constructor settles on the custom SKU; a key no SKU has is 400 Unknown SKU; __proto__ is 400 invalid_key", async () => {
    const ok = await send(apexSettingsRoute.POST as Handler, "POST", "/apex-settings", { settings: { constructor: { manual_units: 7 } } });
    expect(ok.status).toBe(200);
    expect(ok.json.settings.constructor).toEqual({ excluded: false, manual_units: 7 });
    expect(ok.json.settings.singles_1g).toEqual({ excluded: false, manual_units: null });
    const calc = await send(apexCalculateRoute.GET as Handler, "GET", "/apex-calculate");
    expect(calc.json.calculated_units.constructor).toMatchObject({ units: 7, manual_units: 7 });

    const before = await counts();
    const unknown = await send(apexSettingsRoute.POST as Handler, "POST", "/apex-settings", { settings: { toString: { excluded: true } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: "Unknown SKU: toString", code: "unknown_sku" });
    const proto = await call(apexSettingsRoute.POST as Handler, {
      method: "POST",
      path: at("/apex-settings"),
      params: { metrc },
      headers: { ...p.headers.apiKey, "content-type": "application/json" },
      rawBody: '{"settings": {"__proto__": {"excluded": true}}}',
    });
    expect(proto.status).toBe(400);
    expect(proto.json.code).toBe("invalid_key");
    expect(await counts()).toEqual(before);
  });

  it("apex-units and apex-decrement: a stored count for constructor is kept; toString is 400 Unknown SKU", async () => {
    const set = await send(apexUnitsRoute.POST as Handler, "POST", "/apex-units", { constructor: 5 });
    expect(set.status).toBe(200);
    expect(set.json.apex_units).toEqual({ constructor: 5 });
    const unknown = await send(apexUnitsRoute.POST as Handler, "POST", "/apex-units", { toString: 5 });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe("Unknown SKU: toString");

    // A decrement of a default SKU with nothing stored for it: the calculated figure, never Object.prototype's.
    const dec = await send(apexDecrementRoute.POST as Handler, "POST", "/apex-decrement", { sku: "singles_1g", units: 2 });
    expect(dec.status, dec.text).toBe(200);
    const fg = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
    expect(fg.current_grams).toBe(98);
    expect(fg.apex_units).toEqual({ constructor: 5 });
  });

  it("DELETE custom-skus/{sku_key}: constructor is removed; toString and __proto__ are 404 Custom SKU not found", async () => {
    for (const key of ["toString", "__proto__", "hasOwnProperty"]) {
      const res = await send(customSkuRoute.DELETE as Handler, "DELETE", `/custom-skus/${key}`, undefined, { sku_key: key });
      expect(res.status, key).toBe(404);
      expect(res.json, key).toEqual({ error: "Custom SKU not found", code: "custom_sku_not_found" });
    }
    const res = await send(customSkuRoute.DELETE as Handler, "DELETE", "/custom-skus/constructor", undefined, { sku_key: "constructor" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ deleted_sku: "constructor", custom_skus: null });
    const fg = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
    expect(fg.custom_skus).toBeNull();
    expect(fg.apex_sku_settings).toBeNull();
    expect(fg.apex_units).toBeNull();
  });
});

// ───────── strain names as map keys: sales CSV, centrifuge, learning ─────────

describe("strain names that are prototype names", () => {
  async function upload(files: { name: string; text: string }[]) {
    const form = new FormData();
    for (const f of files) form.append("files[]", new File([f.text], f.name, { type: "text/csv" }));
    const req = new Request("http://localhost/", { method: "POST", body: form });
    return call(uploadRoute.POST as Handler, {
      method: "POST",
      path: "/api/recommendations/upload",
      headers: { ...p.headers.operator, "content-type": req.headers.get("content-type")! },
      rawBody: await req.text(),
    });
  }

  it("a sales CSV with strains constructor, __proto__ and toString: each is its own row with its own numbers", async () => {
    const csv =
      "store,strain,inventory,avg_daily_sales\nDowntown,constructor,10,2\nDowntown,__proto__,30,1\nNorthside,toString,4,4\nNorthside,constructor,5,1\n";
    const res = await upload([{ name: "week.csv", text: csv }]);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ strain_count: 3, store_count: 2, rows_processed: 4 });
    const latest = await call(latestRecommendations.GET as Handler, { path: "/api/recommendations", headers: p.headers.viewer });
    const combined = new Map(
      latest.json.data.combined.map((r: { strain: string; total_inventory: number; avg_sold_per_day: number; store_count: number }) => [
        r.strain,
        [r.total_inventory, r.avg_sold_per_day, r.store_count],
      ]),
    );
    expect([...combined.keys()].sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(combined.get("constructor")).toEqual([15, 3, 2]);
    expect(combined.get("__proto__")).toEqual([30, 1, 1]);
    expect(combined.get("toString")).toEqual([4, 4, 1]);
  });

  it("a refused upload lists the ignored columns of a file named __proto__ under that name", async () => {
    const res = await upload([{ name: "__proto__", text: "strain,inventory,avg_daily_sales,colour\nBlue Dream,abc,1,green\n" }]);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("invalid_csv");
    expect(Object.entries(res.json.details.ignored_columns)).toEqual([["__proto__", ["colour"]]]);
  });

  it("centrifuge outcomes of strain constructor: recommendations, trends and the learning processor see them", async () => {
    for (const strain of ["constructor", "Constructor", "__proto__"]) {
      const res = await call(outcomesRoute.POST as Handler, {
        method: "POST",
        path: "/api/centrifuge/outcomes",
        headers: p.headers.apiKey,
        body: buildOutcome({ strain, size: "0_5", rpm: 2000 }),
      });
      expect(res.status, res.text).toBe(201);
    }
    const learned = await call(learningRoute.POST as Handler, {
      method: "POST",
      path: "/api/learning/run",
      headers: p.headers.admin,
      body: {},
    });
    expect(learned.status).toBe(200);
    expect(learned.json).toMatchObject({ outcomes_processed: 3 });
    expect([...learned.json.strains].sort()).toEqual(["Constructor", "__proto__"]);

    const unified = await call(unifiedRoute.GET as Handler, {
      path: "/api/centrifuge-recommendations-unified/constructor",
      params: { strain: "constructor" },
      headers: p.headers.apiKey,
    });
    expect(unified.status).toBe(200);
    expect(unified.json.has_data).toBe(true);
    expect(unified.json.recommendations["0_5"]).toMatchObject({ has_data: true, rpm: 2000, sample_size: 2 });
    const trends = await call(trendsRoute.GET as Handler, {
      path: "/api/centrifuge/trends/__proto__",
      params: { strain: "__proto__" },
      headers: p.headers.apiKey,
    });
    expect(trends.status).toBe(200);
    expect(trends.json).toMatchObject({ strain: "__proto__", has_data: true, trend_analysis: { sample_size: 1 } });
  });

  it("the centrifuge history reads stored per-size settings by their own keys only", async () => {
    await db.auditLog.create({
      data: {
        entity: "batch",
        entity_id: "legacy-batch",
        label: "toString",
        field: "centrifuge_settings_by_size",
        old: JSON.stringify({ "0_5": { centrifuge_rpm: 1000 } }),
        new: JSON.stringify({ "0_5": { centrifuge_rpm: 1200, constructor: 3 }, toString: { centrifuge_rpm: 900 } }),
        actor: "import",
      },
    });
    const res = await call(centrifugeHistoryRoute.GET as Handler, {
      path: "/api/centrifuge-history/toString",
      params: { strain: "toString" },
      headers: p.headers.apiKey,
    });
    expect(res.status).toBe(200);
    const changes = res.json.history.map((h: { size: string; setting: string; old_value: string | null; new_value: string | null }) => [
      h.size,
      h.setting,
      h.old_value,
      h.new_value,
    ]);
    expect(changes).toEqual([
      ["0_5", "centrifuge_rpm", "1000", "1200"],
      ["0_5", "constructor", null, "3"],
      ["toString", "centrifuge_rpm", null, "900"],
    ]);
  });

  it("a centrifuge named constructor or __proto__ is an unknown machine (400), not Object's members", async () => {
    for (const source of ["constructor", "__proto__", "hasownproperty"]) {
      const res = await call(compareRoute.POST as Handler, {
        method: "POST",
        path: "/api/centrifuge/compare",
        headers: p.headers.apiKey,
        body: { rpm: 2000, source_centrifuge: source },
      });
      expect(res.status, `${source}: ${res.text}`).toBe(400);
      expect(res.json.error).toBe("Invalid value for source_centrifuge");
      expect(res.json.details.fields.source_centrifuge[0]).toContain(`Unknown centrifuge "${source}"`);
    }
  });
});

// ───────── event filters and remote type mappings ─────────

describe("event filters and remote type mappings", () => {
  const envelope = {
    id: 1,
    type: "finished_good.added",
    payload: { strain: "Blue Dream", grams: 5 },
    metadata: { timestamp: "2026-01-01T00:00:00.000Z", actor: "a", traceId: "t", source: "api" },
  } as unknown as EventEnvelope;

  it("a filter path through constructor / __proto__ / toString is a missing path, not a match", () => {
    for (const key of ["constructor", "__proto__", "toString", "strain.length", "grams.toFixed"]) {
      expect(matchesFilter({ [`payload.${key}`]: "*" }, envelope), key).toBe(false);
      expect(matchesFilter({ [`payload.${key}`]: { $ne: "x" } }, envelope), key).toBe(true);
    }
    expect(matchesFilter({ "payload.strain": "Blue*" }, envelope)).toBe(true);
  });

  it("a remote type named like a prototype member maps only through the mapping's own keys", () => {
    for (const type of ["constructor", "__proto__", "toString"]) expect(mapEventType({ "apex.*": "apex.order" }, type), type).toBeNull();
    expect(mapEventType({ constructor: "apex.order" }, "constructor")).toBe("apex.order");
    expect(mapEventType({ "apex.*": "apex.order" }, "apex.order.created")).toBe("apex.order");
  });
});
