import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseEventPayload, type EventType } from "@/lib/events/catalogue";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch, metrcTag } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import * as listRoute from "@/app/api/finished-goods/route";
import * as packageRoute from "@/app/api/finished-goods/[metrc]/route";
import * as summaryRoute from "@/app/api/finished-goods/summary/route";
import * as historyRoute from "@/app/api/finished-goods/history/route";
import * as calculatorRoute from "@/app/api/finished-goods/calculator/route";
import * as lastUpdatedRoute from "@/app/api/finished-goods/last-updated/route";
import * as packageHistoryRoute from "@/app/api/finished-goods/[metrc]/history/route";
import * as deductRoute from "@/app/api/finished-goods/[metrc]/deduct/route";
import * as batchesRoute from "@/app/api/batches/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

type Headers = Record<string, string>;

async function createPackage(overrides: Parameters<typeof buildFinishedGood>[0] = {}, headers?: Headers) {
  const body = buildFinishedGood(overrides);
  const res = await call(listRoute.POST, { method: "POST", path: "/api/finished-goods/", headers: headers ?? p.headers.apiKey, body });
  expect(res.status, res.text).toBe(201);
  return res.json.package as { metrc_number: string; strain: string; current_grams: number; status: string };
}

const at = (metrc: string, suffix = "") => ({ path: `/api/finished-goods/${metrc}${suffix}`, params: { metrc } });

/** Events of a type about one package, each re-validated against the catalogue. */
async function eventsFor(type: EventType, metrc: string) {
  const rows = await db.event.findMany({ where: { type }, orderBy: { id: "asc" } });
  return rows.map((r) => parseEventPayload(type, r.payload) as { metrc_number?: string }).filter((e) => e.metrc_number === metrc) as Record<
    string,
    unknown
  >[];
}

describe("POST /api/finished-goods/ (create)", () => {
  it("creates an active package: 201 {success, message, package} with history, audit and event", async () => {
    const metrc = metrcTag();
    const res = await call(listRoute.POST, {
      method: "POST",
      path: "/api/finished-goods/",
      headers: p.headers.apiKey,
      body: { metrc_number: metrc, strain: "  Blue   Dream ", grams: 750.5, notes: "shelf B" },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ success: true, message: expect.any(String) });
    const pkg = res.json.package;
    for (const field of [
      "metrc_number",
      "strain",
      "initial_grams",
      "current_grams",
      "status",
      "created_date",
      "updated_date",
      "notes",
      "source_batch_id",
      "grams_ordered",
      "grams_packed",
      "grams_packed_lifetime",
      "grams_fulfilled",
      "sku_breakdown",
      "apex_auto_inventory",
      "apex_units",
      "apex_sku_settings",
      "processed_decrements",
      "custom_skus",
      "physical_grams_override",
      "wholesale_holds",
    ]) {
      expect(pkg).toHaveProperty(field);
    }
    expect(pkg).toMatchObject({
      metrc_number: metrc,
      strain: "Blue Dream",
      initial_grams: 750.5,
      current_grams: 750.5,
      status: "active",
      notes: "shelf B",
      grams_ordered: 0,
      apex_auto_inventory: 0,
      wholesale_holds: [],
    });
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: metrc } });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ change_type: "created", current_grams: 750.5, status: "active", actor: "api-key:ApexAPI" });
    expect(history[0].details).toMatchObject({ source: "api" });
    const audit = await db.auditLog.findMany({ where: { entity: "finished_good", entity_id: metrc } });
    expect(audit.map((a) => a.field)).toEqual(expect.arrayContaining(["strain", "initial_grams", "current_grams", "status", "notes"]));
    expect(await eventsFor("finished_good.created", metrc)).toEqual([
      { metrc_number: metrc, strain: "Blue Dream", grams: 750.5, source_batch_id: null },
    ]);
  });

  it("upper-cases a lower-case tag and links an existing source batch", async () => {
    const batch = await call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers: p.headers.apiKey, body: buildBatch() });
    const metrc = metrcTag();
    const pkg = await createPackage({ metrc_number: metrc.toLowerCase(), source_batch_id: batch.json.batch.id });
    expect(pkg.metrc_number).toBe(metrc);
    expect(pkg).toMatchObject({ source_batch_id: batch.json.batch.id });
  });

  it("answers 400 '<field> is required' for each missing field, in the contract's order", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ strain: "Runtz", grams: 10 }, "metrc_number is required"],
      [{ metrc_number: metrcTag(), grams: 10 }, "strain is required"],
      [{ metrc_number: metrcTag(), strain: "Runtz" }, "grams is required"],
      [{}, "metrc_number is required"],
    ];
    for (const [body, message] of cases) {
      const res = await call(listRoute.POST, { method: "POST", path: "/api/finished-goods/", headers: p.headers.apiKey, body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: message, code: "validation_failed" });
      expect(res.json.details.fields).toBeDefined();
    }
  });

  // Unknown fields are ignored on contract routes, as the old server did (contract-tolerance.test.ts).
  it("refuses a bad METRC tag, grams ≤ 0 and an unknown source batch with 400", async () => {
    const bodies: Record<string, unknown>[] = [
      { metrc_number: "1A4060300", strain: "Runtz", grams: 10 },
      { metrc_number: "1A40603000000000000000Z!", strain: "Runtz", grams: 10 },
      { metrc_number: `${metrcTag()}0`, strain: "Runtz", grams: 10 },
      { metrc_number: metrcTag(), strain: "Runtz", grams: 0 },
      { metrc_number: metrcTag(), strain: "Runtz", grams: -5 },
      { metrc_number: metrcTag(), strain: "Runtz", grams: "ten" },
    ];
    for (const body of bodies) {
      const res = await call(listRoute.POST, { method: "POST", path: "/api/finished-goods/", headers: p.headers.apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(typeof res.json.error).toBe("string");
    }
    const badMetrc = await call(listRoute.POST, {
      method: "POST",
      path: "/api/finished-goods/",
      headers: p.headers.apiKey,
      body: bodies[0],
    });
    expect(badMetrc.json.error).toBe("Invalid value for metrc_number");
    const unknownBatch = await call(listRoute.POST, {
      method: "POST",
      path: "/api/finished-goods/",
      headers: p.headers.apiKey,
      body: { metrc_number: metrcTag(), strain: "Runtz", grams: 10, source_batch_id: "no-such-batch" },
    });
    expect(unknownBatch.status).toBe(400);
    expect(unknownBatch.json).toMatchObject({ error: "Source batch not found", code: "source_batch_not_found" });
  });

  it("answers 409 for a duplicate tag and changes nothing", async () => {
    const pkg = await createPackage({ grams: 100 });
    const res = await call(listRoute.POST, {
      method: "POST",
      path: "/api/finished-goods/",
      headers: p.headers.operator,
      body: buildFinishedGood({ metrc_number: pkg.metrc_number, grams: 5 }),
    });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe("duplicate_package");
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: pkg.metrc_number } })).current_grams).toBe(100);
  });

  it("needs the operator role to create (viewer → 403)", async () => {
    const res = await call(listRoute.POST, {
      method: "POST",
      path: "/api/finished-goods/",
      headers: p.headers.viewer,
      body: buildFinishedGood(),
    });
    expect(res.status).toBe(403);
  });
});

describe("GET /api/finished-goods/ (list), summary", () => {
  it("lists live packages with summary and alert settings; filters by strain, status, search", async () => {
    const a = await createPackage({ strain: "Zkittlez Alpha", grams: 40 });
    const b = await createPackage({ strain: "zkittlez  alpha", grams: 60 });
    const c = await createPackage({ strain: "Other Zeta", grams: 10 });
    await call(packageRoute.DELETE, { method: "DELETE", ...at(c.metrc_number), headers: p.headers.operator });

    const all = await call(listRoute.GET, { path: "/api/finished-goods/", headers: p.headers.apiKey });
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({
      total: all.json.packages.length,
      settings: { warning_grams: expect.any(Number), critical_grams: expect.any(Number) },
    });
    expect(Object.keys(all.json.summary)).toEqual(
      expect.arrayContaining(["total_packages", "active_packages", "total_grams", "total_strains"]),
    );
    const tags = all.json.packages.map((x: { metrc_number: string }) => x.metrc_number);
    expect(tags).toEqual(expect.arrayContaining([a.metrc_number, b.metrc_number]));
    expect(tags).not.toContain(c.metrc_number);

    const withArchived = await call(listRoute.GET, { path: "/api/finished-goods/?include_archived=true", headers: p.headers.viewer });
    expect(withArchived.json.packages.map((x: { metrc_number: string }) => x.metrc_number)).toContain(c.metrc_number);

    const byStrain = await call(listRoute.GET, { path: "/api/finished-goods/?strain=KITTLEZ%20al", headers: p.headers.viewer });
    expect(byStrain.json.packages.map((x: { metrc_number: string }) => x.metrc_number).sort()).toEqual(
      [a.metrc_number, b.metrc_number].sort(),
    );

    const archivedOnly = await call(listRoute.GET, { path: "/api/finished-goods/?status=archived", headers: p.headers.viewer });
    expect(archivedOnly.json.packages.every((x: { status: string }) => x.status === "archived")).toBe(true);
    expect(archivedOnly.json.packages.map((x: { metrc_number: string }) => x.metrc_number)).toContain(c.metrc_number);

    const bySuffix = await call(listRoute.GET, {
      path: `/api/finished-goods/?search=${a.metrc_number.slice(-5).toLowerCase()}`,
      headers: p.headers.viewer,
    });
    expect(bySuffix.json.packages.map((x: { metrc_number: string }) => x.metrc_number)).toEqual([a.metrc_number]);
    const byStrainSearch = await call(listRoute.GET, {
      path: "/api/finished-goods/?search=zeta&include_archived=1",
      headers: p.headers.viewer,
    });
    expect(byStrainSearch.json.packages.map((x: { metrc_number: string }) => x.metrc_number)).toEqual([c.metrc_number]);

    const badStatus = await call(listRoute.GET, { path: "/api/finished-goods/?status=gone", headers: p.headers.viewer });
    expect(badStatus.status).toBe(400);
  });

  it("summary counts every status; grams and strains over active packages", async () => {
    const before = (await call(summaryRoute.GET, { path: "/api/finished-goods/summary", headers: p.headers.apiKey })).json;
    const a = await createPackage({ strain: "Summary Strain", grams: 12.5 });
    await createPackage({ strain: "summary  strain", grams: 7.5 });
    const d = await createPackage({ strain: "Summary Depleted", grams: 2 });
    await call(deductRoute.POST, { method: "POST", ...at(d.metrc_number, "/deduct"), headers: p.headers.apiKey, body: { grams: 2 } });
    const res = await call(summaryRoute.GET, { path: "/api/finished-goods/summary", headers: p.headers.apiKey });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(
      [
        "active_packages",
        "archived_packages",
        "depleted_packages",
        "orphaned_packages",
        "total_grams",
        "total_packages",
        "total_strains",
      ].sort(),
    );
    expect(res.json.total_packages).toBe(before.total_packages + 3);
    expect(res.json.active_packages).toBe(before.active_packages + 2);
    expect(res.json.depleted_packages).toBe(before.depleted_packages + 1);
    expect(res.json.total_grams).toBeCloseTo(before.total_grams + 20, 6);
    expect(res.json.total_strains).toBe(before.total_strains + 1); // "Summary Strain" twice, one key
    const rows = await db.finishedGood.findMany();
    expect(res.json.total_packages).toBe(rows.length);
    expect(a.status).toBe("active");
  });
});

describe("GET/PUT/DELETE /api/finished-goods/{metrc}", () => {
  it("GET answers the package, and 404 'Package not found' otherwise", async () => {
    const pkg = await createPackage();
    const ok = await call(packageRoute.GET, { ...at(pkg.metrc_number.toLowerCase()), headers: p.headers.viewer });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ metrc_number: pkg.metrc_number, current_grams: pkg.current_grams, effective_grams: pkg.current_grams });
    const missing = await call(packageRoute.GET, { ...at("1A4000000000000000000000"), headers: p.headers.viewer });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: "Package not found", code: "package_not_found" });
  });

  it("PUT edits strain/notes/source batch: {success, updated_fields, package}; history keeps the reason", async () => {
    const pkg = await createPackage({ strain: "Old Name", notes: "n1" });
    const batch = await call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers: p.headers.apiKey, body: buildBatch() });
    const res = await call(packageRoute.PUT, {
      method: "PUT",
      ...at(pkg.metrc_number),
      headers: p.headers.operator,
      body: { strain: "New Name", notes: "n1", source_batch_id: batch.json.batch.id, reason: "typo" },
    });
    expect(res.status).toBe(200);
    expect(res.json.success).toBe(true);
    expect(res.json.updated_fields.sort()).toEqual(["source_batch_id", "strain"]);
    expect(res.json.package).toMatchObject({ strain: "New Name", notes: "n1", source_batch_id: batch.json.batch.id });
    const row = await db.finishedGoodHistory.findFirstOrThrow({ where: { metrc_number: pkg.metrc_number, change_type: "update" } });
    expect(row).toMatchObject({ reason: "typo", actor: "operator" });
    expect(row.details).toMatchObject({ updated_fields: ["strain", "source_batch_id"], source: "web" });
    const audit = await db.auditLog.findMany({ where: { entity: "finished_good", entity_id: pkg.metrc_number, actor: "operator" } });
    expect(audit.map((a) => [a.field, a.old, a.new])).toEqual(expect.arrayContaining([["strain", "Old Name", "New Name"]]));
    expect(await eventsFor("finished_good.updated", pkg.metrc_number)).toEqual([
      { metrc_number: pkg.metrc_number, strain: "New Name", updated_fields: ["strain", "source_batch_id"] },
    ]);
  });

  it("PUT refuses empty bodies, unknown batches; ignores fields it cannot change; 404 for an unknown package", async () => {
    const pkg = await createPackage();
    for (const body of [{}, { reason: "only" }, { grams: 5 }, { strain: "" }, { strain: null }]) {
      const res = await call(packageRoute.PUT, { method: "PUT", ...at(pkg.metrc_number), headers: p.headers.operator, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    // grams are not PUT's to change (deduct/add are): ignored like any unknown field, never written.
    const renamed = await call(packageRoute.PUT, {
      method: "PUT",
      ...at(pkg.metrc_number),
      headers: p.headers.operator,
      body: { strain: "Renamed", grams: 5 },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.updated_fields).toEqual(["strain"]);
    expect(renamed.json.package).toMatchObject({ strain: "Renamed", current_grams: pkg.current_grams });
    const batch = await call(packageRoute.PUT, {
      method: "PUT",
      ...at(pkg.metrc_number),
      headers: p.headers.operator,
      body: { source_batch_id: "nope" },
    });
    expect(batch.json.error).toBe("Source batch not found");
    const missing = await call(packageRoute.PUT, {
      method: "PUT",
      ...at("1A4000000000000000000000"),
      headers: p.headers.operator,
      body: { notes: "x" },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Package not found");
  });

  it("DELETE archives (history kept), refuses while holds exist, restores, orphans", async () => {
    const pkg = await createPackage({ grams: 30 });
    const hold = await db.wholesaleHold.create({ data: { metrc_number: pkg.metrc_number, sku_name: "0.5g Singles", quantity: 4 } });
    const refused = await call(packageRoute.DELETE, { method: "DELETE", ...at(pkg.metrc_number), headers: p.headers.operator });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "holds_active", details: { active_holds: 1 } });
    const refusedOrphan = await call(packageRoute.DELETE, {
      method: "DELETE",
      ...at(pkg.metrc_number),
      path: `/api/finished-goods/${pkg.metrc_number}?orphan=true`,
      headers: p.headers.operator,
    });
    expect(refusedOrphan.status).toBe(409);
    await db.wholesaleHold.delete({ where: { id: hold.id } });

    const archived = await call(packageRoute.DELETE, { method: "DELETE", ...at(pkg.metrc_number), headers: p.headers.apiKey });
    expect(archived.status).toBe(200);
    expect(archived.json).toMatchObject({ success: true, message: "Package archived successfully" });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: pkg.metrc_number } })).status).toBe("archived");
    const again = await call(packageRoute.DELETE, { method: "DELETE", ...at(pkg.metrc_number), headers: p.headers.apiKey });
    expect(again.status).toBe(409);

    const restored = await call(packageRoute.DELETE, {
      method: "DELETE",
      ...at(pkg.metrc_number),
      path: `/api/finished-goods/${pkg.metrc_number}?restore=true`,
      headers: p.headers.operator,
    });
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ success: true, message: "Package restored successfully", status: "active" });
    const notArchived = await call(packageRoute.DELETE, {
      method: "DELETE",
      ...at(pkg.metrc_number),
      path: `/api/finished-goods/${pkg.metrc_number}?restore=true`,
      headers: p.headers.operator,
    });
    expect(notArchived.status).toBe(409);

    const orphaned = await call(packageRoute.DELETE, {
      method: "DELETE",
      ...at(pkg.metrc_number),
      path: `/api/finished-goods/${pkg.metrc_number}?orphan=true`,
      headers: p.headers.operator,
    });
    expect(orphaned.status).toBe(200);
    expect(orphaned.json.status).toBe("orphaned");

    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: pkg.metrc_number }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.change_type, h.status])).toEqual([
      ["created", "active"],
      ["archive", "archived"],
      ["restore", "active"],
      ["orphan", "orphaned"],
    ]);
    expect((await eventsFor("finished_good.archived", pkg.metrc_number)).map((e) => e.status)).toEqual(["archived", "orphaned"]);
    expect((await eventsFor("finished_good.restored", pkg.metrc_number)).map((e) => e.status)).toEqual(["active"]);
  });

  it("DELETE ?permanent=true is admin only, cascades holds and keeps history rows", async () => {
    const pkg = await createPackage({ strain: "Gone Kush", grams: 30 });
    await db.wholesaleHold.create({ data: { metrc_number: pkg.metrc_number, sku_name: "0.5g Singles", quantity: 2 } });
    const path = `/api/finished-goods/${pkg.metrc_number}?permanent=true`;
    for (const headers of [p.headers.operator, p.headers.apiKey]) {
      const res = await call(packageRoute.DELETE, { method: "DELETE", ...at(pkg.metrc_number), path, headers });
      expect(res.status).toBe(403);
      expect(typeof res.json.error).toBe("string");
    }
    const res = await call(packageRoute.DELETE, { method: "DELETE", ...at(pkg.metrc_number), path, headers: p.headers.admin });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, message: "Package permanently deleted" });
    expect(await db.finishedGood.findUnique({ where: { metrc_number: pkg.metrc_number } })).toBeNull();
    expect(await db.wholesaleHold.count({ where: { metrc_number: pkg.metrc_number } })).toBe(0);
    const history = await db.finishedGoodHistory.findMany({ where: { metrc_number: pkg.metrc_number }, orderBy: { id: "asc" } });
    expect(history.map((h) => h.change_type)).toEqual(["created", "delete"]);
    expect(await eventsFor("finished_good.deleted", pkg.metrc_number)).toEqual([{ metrc_number: pkg.metrc_number, strain: "Gone Kush" }]);
    // The per-package history still answers after deletion.
    const timeline = await call(packageHistoryRoute.GET, { ...at(pkg.metrc_number, "/history"), headers: p.headers.viewer });
    expect(timeline.status).toBe(200);
    expect(timeline.json).toMatchObject({ metrc_number: pkg.metrc_number, strain: "Gone Kush", total_changes: 2 });
    const gone = await call(packageRoute.GET, { ...at(pkg.metrc_number), headers: p.headers.viewer });
    expect(gone.status).toBe(404);
  });

  it("DELETE refuses two actions at once and 404s an unknown package", async () => {
    const pkg = await createPackage();
    const both = await call(packageRoute.DELETE, {
      method: "DELETE",
      ...at(pkg.metrc_number),
      path: `/api/finished-goods/${pkg.metrc_number}?restore=true&orphan=true`,
      headers: p.headers.admin,
    });
    expect(both.status).toBe(400);
    const missing = await call(packageRoute.DELETE, { method: "DELETE", ...at("1A4000000000000000000000"), headers: p.headers.admin });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Package not found");
  });
});

describe("history, calculator, last-updated", () => {
  it("GET /api/finished-goods/history: newest first in the contract's shape; limit default 100, max 1000", async () => {
    const pkg = await createPackage({ grams: 10 });
    await call(deductRoute.POST, {
      method: "POST",
      ...at(pkg.metrc_number, "/deduct"),
      headers: p.headers.apiKey,
      body: { grams: 1, reason: "sample" },
    });
    const res = await call(historyRoute.GET, { path: "/api/finished-goods/history?limit=2", headers: p.headers.apiKey });
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(2);
    expect(res.json.history[0]).toMatchObject({
      metrc_number: pkg.metrc_number,
      timestamp: expect.any(String),
      change_type: "deduct",
      current_grams: 9,
      grams_ordered: 0,
      grams_packed: 0,
      status: "active",
      details: expect.objectContaining({ delta: -1 }),
    });
    expect(res.json.history[1]).toMatchObject({ metrc_number: pkg.metrc_number, change_type: "created" });
    const all = await db.finishedGoodHistory.count();
    const dflt = await call(historyRoute.GET, { path: "/api/finished-goods/history", headers: p.headers.apiKey });
    expect(dflt.json.total).toBe(Math.min(all, 100));
    const big = await call(historyRoute.GET, { path: "/api/finished-goods/history?limit=5000", headers: p.headers.apiKey });
    expect(big.status).toBe(200);
    expect(big.json.total).toBe(Math.min(all, 1000));
    for (const bad of ["0", "-1", "abc"]) {
      expect((await call(historyRoute.GET, { path: `/api/finished-goods/history?limit=${bad}`, headers: p.headers.apiKey })).status).toBe(
        400,
      );
    }
  });

  it("GET …/{metrc}/history: {metrc_number, strain, history:[{timestamp, change_type, grams_changed, current_grams, reason}], total_changes}", async () => {
    const pkg = await createPackage({ strain: "Timeline", grams: 10 });
    await call(deductRoute.POST, {
      method: "POST",
      ...at(pkg.metrc_number, "/deduct"),
      headers: p.headers.operator,
      body: { units: 2, unit_size: "1.0g", reason: "QA" },
    });
    const res = await call(packageHistoryRoute.GET, { ...at(pkg.metrc_number, "/history"), headers: p.headers.apiKey });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ metrc_number: pkg.metrc_number, strain: "Timeline", total_changes: 2 });
    expect(res.json.history[0]).toMatchObject({
      change_type: "deduct",
      grams_changed: -2,
      current_grams: 8,
      reason: "QA",
      actor: "operator",
      source: "web",
    });
    expect(res.json.history[1]).toMatchObject({
      change_type: "created",
      grams_changed: 10,
      current_grams: 10,
      reason: null,
      source: "api",
    });
    const missing = await call(packageHistoryRoute.GET, { ...at("1A4000000000000000000000", "/history"), headers: p.headers.apiKey });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Package not found");
  });

  it("calculator: units each size makes; grams required", async () => {
    const res = await call(calculatorRoute.GET, { path: "/api/finished-goods/calculator?grams=500", headers: p.headers.apiKey });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      input_grams: 500,
      primary_sizes: { "0.5g_singles": 1000, "1.0g_singles": 500, "0.5g_6pack": 166, "0.5g_12pack": 83 },
      custom_sizes: { "0.7g": 714, "0.8g": 625 },
    });
    const exact = await call(calculatorRoute.GET, { path: "/api/finished-goods/calculator?grams=2.1", headers: p.headers.apiKey });
    expect(exact.json.custom_sizes["0.7g"]).toBe(3);
    const missing = await call(calculatorRoute.GET, { path: "/api/finished-goods/calculator", headers: p.headers.apiKey });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("grams is required");
    for (const bad of ["abc", "-1"]) {
      expect(
        (await call(calculatorRoute.GET, { path: `/api/finished-goods/calculator?grams=${bad}`, headers: p.headers.apiKey })).status,
      ).toBe(400);
    }
  });

  it("last-updated: {timestamp} of the newest history row, ETag and 304 until something changes", async () => {
    await createPackage();
    const first = await call(lastUpdatedRoute.GET, { path: "/api/finished-goods/last-updated", headers: p.headers.apiKey });
    expect(first.status).toBe(200);
    const newest = await db.finishedGoodHistory.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(first.json).toEqual({ timestamp: newest.timestamp.toISOString() });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"fg-\d+"$/);
    const unchanged = await call(lastUpdatedRoute.GET, {
      path: "/api/finished-goods/last-updated",
      headers: { ...p.headers.apiKey, "if-none-match": etag },
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe("");
    const pkg = await createPackage();
    await call(deductRoute.POST, { method: "POST", ...at(pkg.metrc_number, "/deduct"), headers: p.headers.apiKey, body: { grams: 1 } });
    const changed = await call(lastUpdatedRoute.GET, {
      path: "/api/finished-goods/last-updated",
      headers: { ...p.headers.apiKey, "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });
});
