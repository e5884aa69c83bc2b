import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import * as batchesRoute from "@/app/api/batches/route";
import * as batchRoute from "@/app/api/batches/[id]/route";
import * as stageRoute from "@/app/api/batches/[id]/stage/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import * as dataRoute from "@/app/api/data/route";
import * as archiveRoute from "@/app/api/archive/route";
import * as lastUpdatedRoute from "@/app/api/batches/last-updated/route";
import * as auditRoute from "@/app/api/audit/route";

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
  expect(res.status).toBe(201);
  return res.json.batch as { id: string; strain: string; stage: number };
}

describe("batches: create, read, edit, stage moves", () => {
  it("creates a batch with audit rows and a batch.created event in one transaction", async () => {
    const batch = await newBatch({ strain: "Runtz", input_grams: 1200, thc_percent: 24.5 });
    expect(batch).toMatchObject({ strain: "Runtz", stage: 0, input_grams: 1200, archived: 0, counts_0_5: 0 });
    const audit = await db.auditLog.findMany({ where: { entity_id: batch.id } });
    expect(audit.map((a) => a.field)).toEqual(expect.arrayContaining(["strain", "input_grams", "thc_percent", "stage"]));
    expect(audit.every((a) => a.actor === "api-key:ApexAPI" && a.trace_id)).toBe(true);
    const events = await db.event.findMany({ where: { type: "batch.created" } });
    expect(events.some((e) => (e.payload as { batch_id: string }).batch_id === batch.id)).toBe(true);
  });

  it("GET /api/data is a JSON array in the contract's shape; rate_history only on request", async () => {
    const batch = await newBatch();
    const plain = await call(dataRoute.GET, { path: "/api/data", headers: p.headers.viewer });
    expect(plain.status).toBe(200);
    expect(Array.isArray(plain.json)).toBe(true);
    const row = plain.json.find((b: { id: string }) => b.id === batch.id);
    for (const field of [
      "id",
      "strain",
      "input_grams",
      "target_grams_each",
      "stage",
      "counts_0_5",
      "counts_0_7",
      "counts_1_0",
      "planned_0_5",
      "archived",
      "centrifuge_rpm",
      "testing_status",
      "packaging_status",
      "cached_production_rate",
      "production_sessions",
      "total_work_hours",
      "grind_size",
      "packaged_singles",
      "loose_tupperware",
    ]) {
      expect(row).toHaveProperty(field);
    }
    expect(row).not.toHaveProperty("rate_history");
    const withHistory = await call(dataRoute.GET, { path: "/api/data?include_history=true", headers: p.headers.viewer });
    expect(withHistory.json.find((b: { id: string }) => b.id === batch.id)).toHaveProperty("rate_history");
  });

  it("GET /api/data answers a repeated poll with 304", async () => {
    await newBatch();
    const first = await call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await call(dataRoute.GET, { path: "/api/data", headers: { ...p.headers.apiKey, "if-none-match": etag } });
    expect(again.status).toBe(304);
    await newBatch();
    const changed = await call(dataRoute.GET, { path: "/api/data", headers: { ...p.headers.apiKey, "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.json.length).toBe(first.json.length + 1);
  });

  it("edits fields with one audit row per changed field", async () => {
    const batch = await newBatch({ thc_percent: 20 });
    const res = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { thc_percent: 21.5, bay_number: "B9", strain: batch.strain },
    });
    expect(res.status).toBe(200);
    expect(res.json.batch).toMatchObject({ thc_percent: 21.5, bay_number: "B9" });
    const rows = await db.auditLog.findMany({
      where: { entity_id: batch.id, field: { in: ["thc_percent", "bay_number", "strain"] } },
      orderBy: { id: "asc" },
    });
    const updates = rows.filter((r) => r.actor === "operator");
    expect(updates).toHaveLength(2); // strain was sent unchanged: no row
    expect(updates.map((r) => [r.field, r.old, r.new])).toEqual(
      expect.arrayContaining([
        ["thc_percent", "20", "21.5"],
        ["bay_number", expect.any(String), "B9"],
      ]),
    );
  });

  it("PATCH caps a plan to the grams like POST …/plan and says adjusted", async () => {
    const batch = await newBatch({ input_grams: 100, planned_0_5: 0, planned_0_7: 0, planned_1_0: 0 });
    const patch = (body: object) =>
      call(batchRoute.PATCH, {
        method: "PATCH",
        path: `/api/batches/${batch.id}`,
        params: { id: batch.id },
        headers: p.headers.operator,
        body,
      });
    // 100 × 0.5 + 100 × 1.0 = 150 g > 100 g: scaled by 2/3, whole units.
    const capped = await patch({ planned_0_5: 100, planned_1_0: 100 });
    expect(capped.status, capped.text).toBe(200);
    expect(capped.json.adjusted).toBe(true);
    expect(capped.json.batch).toMatchObject({ planned_0_5: 66, planned_0_7: 0, planned_1_0: 66 });
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect([row.planned_0_5, row.planned_1_0]).toEqual([66, 66]);
    // plan_use_grams limits it further; a plan that fits is kept as sent.
    const limited = await patch({ plan_use_grams: 10, planned_0_5: 20, planned_1_0: 0 });
    expect(limited.json).toMatchObject({ adjusted: false, batch: { planned_0_5: 20, planned_1_0: 0, plan_use_grams: 10 } });
    const over = await patch({ planned_0_5: 21 });
    expect(over.json).toMatchObject({ adjusted: true, batch: { planned_0_5: 20 } });
    expect((await patch({ strain: "Renamed" })).json.adjusted).toBe(false);
  });

  it("PATCH with null clears centrifuge_settings_by_size and source_materials (as audited)", async () => {
    const batch = await newBatch({
      centrifuge_settings_by_size: { "0_5": { centrifuge_rpm: 2100 } },
      source_materials: ["Tray 4"],
    });
    const before = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(before.source_materials).toEqual(["Tray 4"]);
    expect(before.centrifuge_settings_by_size).not.toBeNull();
    const res = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { centrifuge_settings_by_size: null, source_materials: null },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.batch).toMatchObject({ centrifuge_settings_by_size: null, source_materials: null });
    const after = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(after.centrifuge_settings_by_size).toBeNull();
    expect(after.source_materials).toBeNull();
    const audit = await db.auditLog.findMany({
      where: { entity_id: batch.id, field: { in: ["centrifuge_settings_by_size", "source_materials"] }, actor: "operator" },
    });
    expect(audit).toHaveLength(2);
  });

  it("GET /api/data: days_in_stage is right at read time, without a write in between", async () => {
    const batch = await newBatch();
    const read = async () => {
      const res = await call(dataRoute.GET, { path: "/api/data", headers: p.headers.viewer });
      expect(res.status).toBe(200);
      return res.json.find((b: { id: string }) => b.id === batch.id) as { days_in_stage: number };
    };
    expect((await read()).days_in_stage).toBe(0);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 25 * 3_600_000);
      expect((await read()).days_in_stage).toBe(1);
      vi.setSystemTime(Date.now() + 24 * 3_600_000);
      expect((await read()).days_in_stage).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("advances 0→1 by itself when grams ground reach input grams", async () => {
    const batch = await newBatch({ input_grams: 500 });
    const res = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { grams_ground: 500 },
    });
    expect(res.json.batch.stage).toBe(1);
    const auto = await db.auditLog.findFirst({ where: { entity_id: batch.id, field: "stage_auto_advanced" } });
    expect(auto?.new).toBe("0→1");
    const history = await db.stageHistory.findMany({ where: { batch_id: batch.id }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.from_stage, h.to_stage, h.auto])).toEqual([
      [null, 0, false],
      [0, 1, true],
    ]);
  });

  it("moves through stages with history, sessions and batch.stage_changed events", async () => {
    const batch = await newBatch();
    for (const stage of [1, 2, 1, 2, 3, 7, 6]) {
      const res = await call(stageRoute.POST, {
        method: "POST",
        path: `/api/batches/${batch.id}/stage`,
        params: { id: batch.id },
        headers: p.headers.operator,
        body: { stage },
      });
      expect(res.status).toBe(200);
      expect(res.json.batch.stage).toBe(stage);
    }
    const history = await db.stageHistory.findMany({ where: { batch_id: batch.id }, orderBy: { id: "asc" } });
    expect(history.map((h) => h.to_stage)).toEqual([0, 1, 2, 1, 2, 3, 7, 6]);
    expect(history.slice(1).every((h) => h.actor === "operator")).toBe(true);
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.production_sessions).toHaveLength(2);
    expect(row.production_end_time).not.toBeNull();
    const events = await db.event.findMany({ where: { type: "batch.stage_changed" }, orderBy: { id: "asc" } });
    const mine = events.map((e) => e.payload as { batch_id: string; from: number; to: number }).filter((e) => e.batch_id === batch.id);
    expect(mine.map((e) => [e.from, e.to])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
      [1, 2],
      [2, 3],
      [3, 7],
      [7, 6],
    ]);
  });

  it("work hours and production duration skip nights and weekends (the schedule's working clock)", async () => {
    const batch = await newBatch();
    // The default schedule: 8–17 Mon–Fri (server-local time). A Friday a week or two ahead of now,
    // so signed sessions stay valid under the faked clock.
    const friday = new Date();
    friday.setDate(friday.getDate() + 7 + ((4 - ((friday.getDay() + 6) % 7) + 7) % 7));
    friday.setHours(15, 0, 0, 0);
    const monday = new Date(friday.getFullYear(), friday.getMonth(), friday.getDate() + 3, 10);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (const [stage, when] of [
        [1, friday],
        [2, friday],
        [3, monday],
      ] as const) {
        vi.setSystemTime(when);
        const res = await call(stageRoute.POST, {
          method: "POST",
          path: `/api/batches/${batch.id}/stage`,
          params: { id: batch.id },
          headers: p.headers.operator,
          body: { stage },
        });
        expect(res.status).toBe(200);
      }
    } finally {
      vi.useRealTimers();
    }
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.total_work_hours).toBe(4); // Fri 15–17 + Mon 8–10, not 67 h of wall clock
    expect(row.production_duration_hours).toBe(4);
  });

  it("refuses a stage outside 0–7 and changes nothing", async () => {
    const batch = await newBatch();
    const events = await db.event.count();
    const res = await call(stageRoute.POST, {
      method: "POST",
      path: `/api/batches/${batch.id}/stage`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { stage: 8 },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: "Invalid value for stage", code: "validation_failed" });
    expect(res.json.details.fields.stage).toBeDefined();
    expect(await db.event.count()).toBe(events);
  });

  it("archived batches leave /api/data for /api/archive", async () => {
    const batch = await newBatch();
    await db.batch.update({ where: { id: batch.id }, data: { archived: true } });
    const active = await call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey });
    const archived = await call(archiveRoute.GET, { path: "/api/archive", headers: p.headers.apiKey });
    expect(active.json.some((b: { id: string }) => b.id === batch.id)).toBe(false);
    expect(archived.json.find((b: { id: string }) => b.id === batch.id)).toMatchObject({ archived: 1 });
  });

  it("404s an unknown batch with the contract's message", async () => {
    const res = await call(batchRoute.GET, { path: "/api/batches/nope", params: { id: "nope" }, headers: p.headers.viewer });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: "Batch not found", code: "batch_not_found" });
  });
});

describe("counts", () => {
  it("records running totals as timestamped per-size entries and answers {ok:true}", async () => {
    const batch = await newBatch();
    const path = `/api/batch/${batch.id}/counts`;
    const first = await call(countsRoute.POST, {
      method: "POST",
      path,
      params: { id: batch.id },
      headers: p.headers.apiKey,
      body: { counts_0_5: 100, counts_1_0: 40 },
    });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ok: true });
    await call(countsRoute.POST, { method: "POST", path, params: { id: batch.id }, headers: p.headers.apiKey, body: { counts_0_5: 150 } });
    const entries = await db.countEntry.findMany({ where: { batch_id: batch.id }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.size, e.delta, e.total_after])).toEqual([
      ["0_5", 100, 100],
      ["1_0", 40, 40],
      ["0_5", 50, 150],
    ]);
    const event = await db.event.findFirst({ where: { type: "batch.counts_changed" }, orderBy: { id: "desc" } });
    expect(event?.payload).toMatchObject({
      batch_id: batch.id,
      deltas: { "0_5": 50, "0_7": 0, "1_0": 0 },
      counts: { "0_5": 150, "0_7": 0, "1_0": 40 },
    });
  });

  it("rejects bad values with the contract's message and changes nothing", async () => {
    const batch = await newBatch();
    const path = `/api/batch/${batch.id}/counts`;
    // An unknown field beside a valid count is ignored, as the old server did (contract-tolerance.test.ts).
    for (const body of [{ counts_0_5: -1 }, { counts_0_5: "many" }, { counts_0_5: 1.5 }, { counts_0_5: -1, extra: 1 }]) {
      const res = await call(countsRoute.POST, { method: "POST", path, params: { id: batch.id }, headers: p.headers.apiKey, body });
      expect(res.status).toBe(400);
      expect(typeof res.json.error).toBe("string");
    }
    const bad = await call(countsRoute.POST, {
      method: "POST",
      path,
      params: { id: batch.id },
      headers: p.headers.apiKey,
      body: { counts_0_5: -1 },
    });
    expect(bad.json.error).toBe("Invalid value for counts_0_5");
    const invalidJson = await call(countsRoute.POST, {
      method: "POST",
      path,
      params: { id: batch.id },
      headers: { ...p.headers.apiKey, "content-type": "application/json" },
      rawBody: "{counts",
    });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.json).toMatchObject({ error: "Invalid JSON", code: "invalid_json" });
    expect(await db.countEntry.count({ where: { batch_id: batch.id } })).toBe(0);
  });

  it("never goes below zero", async () => {
    const batch = await newBatch();
    const path = `/api/batch/${batch.id}/counts`;
    await call(countsRoute.POST, { method: "POST", path, params: { id: batch.id }, headers: p.headers.apiKey, body: { add_0_7: 25 } });
    const res = await call(countsRoute.POST, {
      method: "POST",
      path,
      params: { id: batch.id },
      headers: p.headers.apiKey,
      body: { add_0_7: -50 },
    });
    expect(res.status).toBe(409);
    expect((await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).counts_0_7).toBe(25);
  });

  it("parallel additions from two tablets all count (no lost update)", async () => {
    const batch = await newBatch();
    const path = `/api/batch/${batch.id}/counts`;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(countsRoute.POST, {
          method: "POST",
          path,
          params: { id: batch.id },
          headers: i % 2 ? p.headers.operator : p.headers.apiKey,
          body: { add_0_5: 25 },
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.counts_0_5).toBe(1000);
    expect(await db.countEntry.count({ where: { batch_id: batch.id } })).toBe(40);
  });
});

describe("last-updated and audit", () => {
  it("answers {timestamp} of the newest audit row with an ETag, and 304 when unchanged", async () => {
    const first = await call(lastUpdatedRoute.GET, { path: "/api/batches/last-updated", headers: p.headers.apiKey });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const newest = await db.auditLog.findFirst({ where: { entity: "batch" }, orderBy: { id: "desc" } });
    expect(first.json).toEqual({ timestamp: newest?.at.toISOString() ?? null });

    const unchanged = await call(lastUpdatedRoute.GET, {
      path: "/api/batches/last-updated",
      headers: { ...p.headers.apiKey, "if-none-match": etag },
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe("");

    await newBatch();
    const changed = await call(lastUpdatedRoute.GET, {
      path: "/api/batches/last-updated",
      headers: { ...p.headers.apiKey, "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("GET /api/audit lists {batch, strain, ts, field, old, new} newest first, searchable", async () => {
    const batch = await newBatch({ strain: "Audit Kush" });
    await call(stageRoute.POST, {
      method: "POST",
      path: `/api/batches/${batch.id}/stage`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { stage: 1 },
    });
    const res = await call(auditRoute.GET, { path: "/api/audit?q=Audit%20Kush", headers: p.headers.viewer });
    expect(res.status).toBe(200);
    expect(res.json[0]).toMatchObject({ batch: batch.id, strain: "Audit Kush", field: "stage", old: "0", new: "1" });
    expect(Object.keys(res.json[0])).toEqual(expect.arrayContaining(["batch", "strain", "ts", "field", "old", "new"]));
    const ts = res.json.map((r: { id: number }) => r.id);
    expect([...ts].sort((a, b) => b - a)).toEqual(ts);
  });

  it("GET /api/audit search ignores case on both engines (strain, field, who)", async () => {
    const batch = await newBatch({ strain: "Blue Dream Casefold" });
    const search = async (q: string) => {
      const res = await call(auditRoute.GET, {
        path: `/api/audit?batch=${batch.id}&q=${encodeURIComponent(q)}`,
        headers: p.headers.viewer,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("x-total-count")).toBe(String(res.json.length));
      return res.json as { strain: string; field: string; actor: string }[];
    };
    const exact = await search("Blue Dream Casefold");
    expect(exact.length).toBeGreaterThan(0);
    expect(await search("blue dream casefold")).toEqual(exact);
    expect(await search("BLUE DREAM")).toEqual(exact);
    // Other searched columns fold too: the field name and the actor (api-key:ApexAPI).
    const byField = await search("INPUT_GRAMS");
    expect(byField.map((r) => r.field)).toEqual(["input_grams"]);
    expect(await search("apexapi")).toEqual(exact);
    expect(await search("blue dreams")).toEqual([]);
  });
});

describe("centrifuge fields on a batch", () => {
  it("accepts settings for one size only, and refuses a machine the settings do not know", async () => {
    const batch = await newBatch();
    const one = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { centrifuge_settings_by_size: { "0_7": { centrifuge_rpm: 2100 } } },
    });
    expect(one.status).toBe(200);
    expect(one.json.batch.centrifuge_settings_by_size).toEqual({ "0_7": { centrifuge_rpm: 2100 } });
    const unknown = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { centrifuge_machine: "spin_master" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details.fields.centrifuge_machine).toBeDefined();
    const known = await call(batchRoute.PATCH, {
      method: "PATCH",
      path: `/api/batches/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { centrifuge_machine: "lab_geek" },
    });
    expect(known.json.batch.centrifuge_machine).toBe("lab_geek");
  });
});
