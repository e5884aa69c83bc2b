import { beforeAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/http/openapi/document";
import { ROUTE_MODULES } from "@/lib/http/openapi/route-registry";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/lib/db/client";
import { call, sessionHeaders } from "@/tests/helpers/http";
import { createUser, TEST_PASSWORD } from "@/prisma/seed/user";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch, metrcTag } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { buildOutcome } from "@/prisma/seed/centrifuge";

/**
 * Real answers of contract routes (happy paths, data built through the routes themselves),
 * validated with ajv against the response schema the OpenAPI document gives for that operation
 * and status — so the document describes what the server sends, not only what zod was told.
 * Every object schema from zod's output is closed (`additionalProperties: false`), so a field the
 * server sends but the document lacks fails here as well as a missing or mistyped one.
 */

type Handler = Parameters<typeof call>[0];
let doc: OpenApiDocument;
let ajv: Ajv2020;
let p: Awaited<ReturnType<typeof createPrincipals>>;
const validated: string[] = [];

function handler(path: string, method: string): Handler {
  const entry = ROUTE_MODULES.find((r) => r.path === path);
  if (!entry) throw new Error(`no route ${path}`);
  return entry.module[method] as Handler;
}

/** Calls `METHOD pattern` (`{x}` filled from params) and validates the body against the document. */
async function check(
  method: string,
  pattern: string,
  opts: { params?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const params = opts.params ?? {};
  const path = pattern.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(params[k])) + (opts.query ?? "");
  const res = await call(handler(pattern, method), { method, path, params, body: opts.body, headers: opts.headers ?? p.headers.apiKey });
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
  const op = doc.paths[pattern]?.[method.toLowerCase()] as {
    responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
  };
  const schema = op.responses[String(res.status)]?.content?.["application/json"]?.schema;
  expect(schema?.$ref, `${method} ${pattern} ${res.status}: no documented response schema`).toMatch(/^#\/components\/schemas\//);
  const validate = ajv.getSchema(`openapi${schema!.$ref}`)!;
  const ok = validate(res.json);
  expect(ok, `${method} ${pattern}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`).toBe(true);
  validated.push(`${method} ${pattern}`);
  return res.json;
}

const ids = { batch: "", metrc: "", archived: "" };

beforeAll(async () => {
  doc = buildOpenApiDocument();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The whole document as one schema resource: the components' own "#/components/…" refs resolve in it.
  ajv.addSchema({ $id: "openapi", components: doc.components });
  p = await createPrincipals();
});

describe("contract responses match the OpenAPI document", () => {
  it("batches: create, count, stage, plan, progress, read, list, archive", async () => {
    const created = await check("POST", "/api/batches", { body: buildBatch({ strain: "Blue Dream", input_grams: 2000 }) });
    ids.batch = created.batch.id;
    const id = { id: ids.batch };
    await check("POST", "/api/batch/{id}/counts", { params: id, body: { counts_0_5: 120, counts_1_0: 40 } });
    await check("POST", "/api/batches/{id}/stage", { params: id, body: { stage: 1 }, headers: p.headers.operator });
    await check("POST", "/api/batch/{id}/counts", { params: id, body: { add_0_5: 30 } });
    await check("POST", "/api/batch/{id}/plan", { params: id, body: { planned_0_5: 500, planned_0_7: 0, planned_1_0: 200 } });
    await check("POST", "/api/update-progress/{id}", { params: id, body: { counts_0_5: 270, counts_0_7: 30, counts_1_0: 45 } });
    await check("GET", "/api/batches/{id}", { params: id });
    await check("PATCH", "/api/batches/{id}", {
      params: id,
      body: { packaging_status: "waiting_materials", packaging_blocker_type: "papers" },
      headers: p.headers.operator,
    });
    await check("GET", "/api/batch/{id}/rate-history", { params: id });
    await check("GET", "/api/data");
    await check("GET", "/api/data", { query: "?include_history=true" });
    await check("GET", "/api/batches/last-updated");
    await check("GET", "/api/overview");
    await check("GET", "/api/production-history");
    await check("GET", "/api/strain/{strain}/rate-projection", { params: { strain: "Blue Dream" } });
    await check("POST", "/api/reorder", { body: { batch_ids: [ids.batch] } });

    const done = await check("POST", "/api/batches", { body: buildBatch({ strain: "Runtz" }) });
    ids.archived = done.batch.id;
    await check("POST", "/api/batches/{id}/stage", { params: { id: ids.archived }, body: { stage: 7 }, headers: p.headers.operator });
    await check("POST", "/api/public/archive/{id}", { params: { id: ids.archived } });
    await check("GET", "/api/archive");
    await check("POST", "/api/archive/{id}", { params: { id: ids.archived }, body: { archive: false } });
  });

  it("weight checks and centrifuge tools", async () => {
    const id = { id: ids.batch };
    await check("POST", "/api/weight-check/{id}", { params: id, body: { size: "0.5g", sample_weight: 6.2 }, headers: p.headers.operator });
    await check("GET", "/api/weight-analytics/{id}", { params: id, headers: p.headers.viewer });
    await check("POST", "/api/centrifuge/calculate", { body: { rpm: 2200 } });
    await check("POST", "/api/centrifuge/compare", { body: { rpm: 2200, source_centrifuge: "lab_geek" } });
    await check("GET", "/api/centrifuge/curve-data");
    await check("GET", "/api/centrifuge/impulse-zones");
    await check("GET", "/api/centrifuge/settings-guide");
    await check("GET", "/api/centrifuge/trends/{strain}", { params: { strain: "Blue Dream" } });
    await check("GET", "/api/centrifuge-recommendations-unified/{strain}", { params: { strain: "Blue Dream" } });
  });

  it("inventory, supplies and settings", async () => {
    await check("GET", "/api/inventory");
    await check("POST", "/api/inventory/update", { body: { size: "0_5", box_count: 40 } });
    await check("GET", "/api/supplies");
    await check("GET", "/api/settings");
  });

  it("finished goods: create, deduct, add, read, list, summary, history, apex, holds, events", async () => {
    const created = await check("POST", "/api/finished-goods", { body: buildFinishedGood({ strain: "Gelato 41", grams: 900 }) });
    ids.metrc = created.package.metrc_number;
    const m = { metrc: ids.metrc };
    await check("POST", "/api/finished-goods/{metrc}/deduct", { params: m, body: { grams: 35, reason: "sale" } });
    await check("POST", "/api/finished-goods/{metrc}/add", { params: m, body: { grams: 2.5, reason: "recount" } });
    await check("PUT", "/api/finished-goods/{metrc}", { params: m, body: { notes: "shelf C", reason: "moved" } });
    await check("GET", "/api/finished-goods/{metrc}", { params: m });
    await check("GET", "/api/finished-goods");
    await check("GET", "/api/finished-goods/summary");
    await check("GET", "/api/finished-goods/history");
    await check("GET", "/api/finished-goods/last-updated");
    await check("GET", "/api/finished-goods/{metrc}/history", { params: m });
    await check("GET", "/api/finished-goods/{metrc}/apex-calculate", { params: m });
    await check("GET", "/api/wholesale/inventory", { headers: p.headers.viewer });
    await check("GET", "/api/wholesale/holds", { headers: p.headers.viewer });
    await check("GET", "/api/wholesale/last-updated", { headers: p.headers.viewer });
    await check("GET", "/api/events", { query: "?after=0&limit=50" });
  });

  it("genealogy: batch inputs and recall queries", async () => {
    const id = { id: ids.batch };
    const source = metrcTag();
    const added = await check("POST", "/api/batches/{id}/inputs", { params: id, body: { source_metrc_number: source, grams: 1500 } });
    const input = { id: ids.batch, inputId: String(added.input.id) };
    await check("GET", "/api/batches/{id}/inputs", { params: id });
    await check("PATCH", "/api/batches/{id}/inputs/{inputId}", { params: input, body: { grams: 1400 } });
    await check("GET", "/api/genealogy/source/{metrc}", { params: { metrc: source } });
    await check("GET", "/api/genealogy/source/{metrc}", { params: { metrc: metrcTag() } });
    await check("GET", "/api/genealogy/package/{metrc}", { params: { metrc: ids.metrc } });
    await check("DELETE", "/api/batches/{id}/inputs/{inputId}", { params: input });
  });

  it("finished goods: apex, SKUs and order tracking", async () => {
    const created = await check("POST", "/api/finished-goods", { body: buildFinishedGood({ strain: "Zkittlez", grams: 600 }) });
    const m = { metrc: created.package.metrc_number as string };
    await check("GET", "/api/finished-goods/calculator", { query: "?grams=100" });
    await check("POST", "/api/finished-goods/{metrc}/apex-auto", { params: m, body: { enabled: false } });
    await check("POST", "/api/finished-goods/{metrc}/apex-units", { params: m, body: { singles_0_5g: 40, singles_1g: 10 } });
    await check("POST", "/api/finished-goods/{metrc}/apex-settings", {
      params: m,
      body: { settings: { magnetic_box_12pk: { excluded: true }, singles_1g: { manual_units: 8 } } },
    });
    await check("GET", "/api/finished-goods/{metrc}/apex-settings", { params: m });
    const applied = await check("POST", "/api/finished-goods/{metrc}/apex-decrement", {
      params: m,
      body: { sku: "0.5g_singles", units: 4, idempotency_key: "sale-1" },
    });
    expect(applied.duplicate).toBeUndefined();
    const again = await check("POST", "/api/finished-goods/{metrc}/apex-decrement", {
      params: m,
      body: { sku: "0.5g_singles", units: 4, idempotency_key: "sale-1" },
    });
    expect(again.duplicate).toBe(true);
    await check("GET", "/api/finished-goods/{metrc}/custom-skus", { params: m });
    await check("POST", "/api/finished-goods/{metrc}/custom-skus", {
      params: m,
      body: { custom_skus: { premium_0_8g: { name: "0.8g Premium", grams_per_unit: 0.8, pack_size: 1, unit_size: "0.8g" } } },
    });
    await check("PUT", "/api/finished-goods/{metrc}/custom-skus", {
      params: m,
      body: { sku_key: "duo_0_7g", sku_def: { name: "0.7g Duo", grams_per_unit: 1.4, pack_size: 2, unit_size: "0.7g" } },
    });
    await check("DELETE", "/api/finished-goods/{metrc}/custom-skus/{sku_key}", { params: { ...m, sku_key: "duo_0_7g" } });
    await check("POST", "/api/finished-goods/{metrc}/set-skus", {
      params: m,
      body: { skus: [{ product_name: "Zkittlez 0.5g", unit_size: "0.5g", pack_size: 1, packs_ordered: 20 }] },
    });
    await check("POST", "/api/finished-goods/{metrc}/set-ordered", { params: m, body: { grams: 120 } });
    await check("POST", "/api/finished-goods/{metrc}/set-packed", { params: m, body: { grams: 30 } });
    await check("POST", "/api/finished-goods/{metrc}/sync", { params: m, body: { ordered_grams: 100, packed_grams: 40 } });
    await check("POST", "/api/finished-goods/{metrc}/complete-order", { params: m, body: { grams: 50, order_id: "SO-1" } });
    await check("DELETE", "/api/finished-goods/{metrc}", { params: m });
    await check("DELETE", "/api/finished-goods/{metrc}", { params: m, query: "?restore=true" });
    await check("DELETE", "/api/finished-goods/{metrc}", { params: m, query: "?permanent=true", headers: p.headers.admin });
  });

  it("apex sync, API key, backups, stock alerts, version", async () => {
    await check("GET", "/api/apex-sync-status");
    await check("POST", "/api/apex-sync-trigger");
    await check("GET", "/api/apex-sync-status");
    await check("GET", "/api/api-key", { headers: p.headers.admin });
    await check("POST", "/api/api-key/regenerate", { body: { grace_hours: 1 }, headers: p.headers.admin });
    await check("GET", "/api/api-key", { headers: p.headers.admin });
    await check("GET", "/api/backup-status");
    await check("POST", "/api/pushover/check-alerts", { headers: p.headers.operator });
    await check("GET", "/api/version", { headers: {} });
  });

  it("users, account, password recovery, API keys", async () => {
    const admin = p.headers.admin;
    await check("GET", "/api/users", { headers: admin });
    const created = await check("POST", "/api/users", {
      body: { username: "packer", password: "packing-pass-1", role: "operator" },
      headers: admin,
    });
    await check("PATCH", "/api/users/{id}", { params: { id: created.user.id }, body: { role: "viewer" }, headers: admin });
    await check("DELETE", "/api/users/{id}", { params: { id: created.user.id }, headers: admin });
    const me = await createUser(db, { role: "viewer", username: "forgetful" });
    const mine = await sessionHeaders(me);
    const { recovery_key } = await check("POST", "/api/account/recovery-key", { headers: mine });
    const ip = { "x-real-ip": "10.9.0.1" };
    const { reset_token } = await check("POST", "/api/password-recovery/verify", { body: { recovery_key }, headers: ip });
    await check("POST", "/api/password-recovery/reset", {
      body: { reset_token, password: "brand-new-pass", password_confirm: "brand-new-pass" },
      headers: ip,
    });
    const other = await createUser(db, { role: "viewer", username: "changer" });
    await check("POST", "/api/account/password", {
      body: { current_password: TEST_PASSWORD, new_password: "another-pass-2" },
      headers: await sessionHeaders(other),
    });

    await check("GET", "/api/api-keys", { headers: admin });
    const key = await check("POST", "/api/api-keys", { body: { name: "Integration", role: "viewer" }, headers: admin });
    const next = await check("POST", "/api/api-keys/{id}/regenerate", {
      params: { id: key.key.id },
      body: { grace_hours: 0 },
      headers: admin,
    });
    await check("DELETE", "/api/api-keys/{id}", { params: { id: next.key.id }, headers: admin });
  });

  it("health, jobs, backups, Apex sync completion", async () => {
    await check("GET", "/api/health", { headers: {} });
    await check("GET", "/api/admin/jobs", { headers: p.headers.admin });
    await check("PATCH", "/api/admin/jobs/{name}", { params: { name: "backups" }, body: { enabled: true }, headers: p.headers.admin });
    await check("POST", "/api/admin/jobs/{name}/run", { params: { name: "backups" }, headers: p.headers.admin });
    const saved = process.env.BACKUP_DIR;
    process.env.BACKUP_DIR = mkdtempSync(path.join(tmpdir(), "openapi-backups-"));
    try {
      await check("POST", "/api/backup", { body: {}, headers: p.headers.admin });
    } finally {
      if (saved === undefined) delete process.env.BACKUP_DIR;
      else process.env.BACKUP_DIR = saved;
    }
    await check("GET", "/api/admin/backups", { headers: p.headers.admin });
    await check("GET", "/api/backup-status");
    await check("POST", "/api/apex-sync-complete", { body: { packages_synced: 12 } });
    await check("POST", "/api/apex-sync-complete", { body: {} });
  });

  it("event system admin: subscribers and deliveries", async () => {
    const admin = p.headers.admin;
    const created = await check("POST", "/api/admin/subscribers", {
      body: { name: "crm", event_types: "finished_good.*", kind: "webhook", config: { url: "http://127.0.0.1:9/hook" } },
      headers: admin,
    });
    const id = { id: created.subscriber.id as string };
    await check("GET", "/api/admin/subscribers", { headers: admin });
    await check("GET", "/api/admin/subscribers/{id}", { params: id, headers: admin });
    await check("PATCH", "/api/admin/subscribers/{id}", { params: id, body: { max_attempts: 3 }, headers: admin });
    await check("POST", "/api/admin/subscribers/{id}/rotate-secret", { params: id, headers: admin });
    const ping = await check("POST", "/api/admin/subscribers/{id}/test", { params: id, body: {}, headers: admin });
    const delivery = { id: ping.delivery_id as string };
    await check("GET", "/api/admin/deliveries", { query: "?status=pending,failed", headers: admin });
    await check("GET", "/api/admin/deliveries/{id}", { params: delivery, headers: admin });
    await check("POST", "/api/admin/deliveries/{id}/cancel", { params: delivery, headers: admin });
    await check("POST", "/api/admin/deliveries/{id}/retry", { params: delivery, headers: admin });
    await check("POST", "/api/admin/subscribers/{id}/recover", {
      params: id,
      body: { from: new Date(Date.now() - 3_600_000).toISOString() },
      headers: admin,
    });
    await check("DELETE", "/api/admin/subscribers/{id}", { params: id, headers: admin });
  });

  it("event system admin: event sources, inbound events, the event log", async () => {
    const admin = p.headers.admin;
    const created = await check("POST", "/api/admin/event-sources", {
      body: { name: "erp", url: "http://127.0.0.1:9/feed", type_mapping: { "order.placed": "apex.order" } },
      headers: admin,
    });
    const id = { id: created.source.id as string };
    await check("GET", "/api/admin/event-sources", { headers: admin });
    await check("GET", "/api/admin/event-sources/{id}", { params: id, headers: admin });
    await check("PATCH", "/api/admin/event-sources/{id}", { params: id, body: { active: false }, headers: admin });
    const inbound = await db.inboundEvent.create({
      data: { source_id: id.id, source_event_id: "e-1", type: "unmapped.thing", payload: { n: 1 } },
    });
    await check("GET", "/api/webhooks/events", { query: "?limit=10" });
    await check("POST", "/api/webhooks/events/{id}/reprocess", { params: { id: String(inbound.id) }, headers: admin });
    await check("GET", "/api/admin/events", { query: "?limit=20", headers: admin });
    await check("DELETE", "/api/admin/event-sources/{id}", { params: id, headers: admin });
  });

  it("event system status, polling now, centrifuge learning", async () => {
    await db.workerHeartbeat.create({ data: { id: "worker-1" } });
    await db.eventSource.create({ data: { name: "unreachable", url: "http://127.0.0.1:9/feed" } });
    await check("GET", "/api/admin/event-system/status", { headers: p.headers.admin });
    const polled = await check("POST", "/api/webhooks/poll-events", { body: {} });
    expect(polled.sources.length).toBeGreaterThanOrEqual(1);
    await check("POST", "/api/learning/run", { headers: p.headers.admin });
    await check("POST", "/api/centrifuge/outcomes", { body: buildOutcome({ strain: "Blue Dream", size: "1_0", rpm: 2150 }) });
    const learned = await check("POST", "/api/learning/run", { headers: p.headers.admin });
    expect(learned.outcomes_processed).toBe(1);
  });

  it("covered a few dozen operations", () => {
    expect(new Set(validated).size).toBeGreaterThanOrEqual(111);
  });
});
