import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { authOptions } from "@/lib/auth/next-auth";
import { verifyRecoveryKey } from "@/lib/domain/recovery/recovery-ops";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { importLegacyDatabase, ImportRefusedError } from "@/lib/domain/legacy-import/import-legacy";
import { LegacyReadError } from "@/lib/domain/legacy-import/read-legacy";
import { switchOverUsername } from "@/lib/domain/legacy-import/switch-over-login";
import { seedDemoData } from "@/scripts/seed-demo";
import { apiKeyHeaders, call, sessionHeaders } from "@/tests/helpers/http";
import { buildLegacyDatabase, lockLegacyDatabase, truncatedCopy, type LegacyFixture } from "@/tests/fixtures/legacy-prt/build-legacy-db";
import * as dataRoute from "@/app/api/data/route";
import * as archiveRoute from "@/app/api/archive/route";
import * as batchesLastUpdated from "@/app/api/batches/last-updated/route";
import * as fgRoute from "@/app/api/finished-goods/route";
import * as fgLastUpdated from "@/app/api/finished-goods/last-updated/route";
import * as fgHistoryRoute from "@/app/api/finished-goods/history/route";
import * as holdsRoute from "@/app/api/wholesale/holds/route";
import * as settingsRoute from "@/app/api/settings/route";
import * as inventoryRoute from "@/app/api/inventory/route";

/**
 * The switch-over (issue [11]): a PreRollTracker 2.0.0 database built from its documented schema
 * (tests/fixtures/legacy-prt) is imported; afterwards ApexAPI's endpoints answer with the legacy
 * data, its API key and the admin password still work, re-runs and dry runs change nothing, and
 * every bad file is refused with one line and nothing written.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
let tmp: string;
let v3: LegacyFixture;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "legacy-import-"));
  v3 = buildLegacyDatabase(path.join(tmp, "v3"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Row counts of every table the import writes: "nothing changed" means these are equal. */
async function snapshot() {
  return {
    batches: await db.batch.count(),
    audit: await db.auditLog.count(),
    events: await db.event.count(),
    packages: await db.finishedGood.count(),
    history: await db.finishedGoodHistory.count(),
    holds: await db.wholesaleHold.count(),
    users: await db.user.count(),
    keys: await db.apiKey.count(),
    settings: await db.setting.count(),
    supplies: await db.supply.count(),
    usage: await db.inventoryUsage.count(),
    counts: await db.countEntry.count(),
    marks: await db.legacyImportRow.count(),
    recovery: await db.recoveryKey.count(),
  };
}

/** A legacy naive timestamp (local time) as an instant, the way the importer reads it. */
const instant = (text: unknown) =>
  new Date(
    String(text)
      .replace(" ", "T")
      .replace(/(\.\d{3})\d+/, "$1"),
  ).getTime();

describe("bad input: one clear error, nothing written", () => {
  it("refuses files that are not a PreRollTracker database, or cannot be read safely", async () => {
    const before = await snapshot();
    const text = path.join(tmp, "notes.txt");
    fs.writeFileSync(text, "batch,strain\n1,Blue Dream\n");
    await expect(importLegacyDatabase(text)).rejects.toThrow(new LegacyReadError(`${text}: not a SQLite database`));
    await expect(importLegacyDatabase(path.join(tmp, "missing.db"))).rejects.toThrow(/missing\.db: no such file/);

    const other = path.join(tmp, "other.db");
    const o = new Database(other);
    o.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    o.close();
    await expect(importLegacyDatabase(other)).rejects.toThrow(/other\.db: not a PreRollTracker database \(it has no "batches" table\)/);

    const half = path.join(tmp, "half.db");
    truncatedCopy(v3.dbPath, half);
    await expect(importLegacyDatabase(half)).rejects.toThrow(/half\.db: is damaged or half-written/);

    const newer = buildLegacyDatabase(path.join(tmp, "newer"), { jsonFiles: false });
    const n = new Database(newer.dbPath);
    n.prepare("INSERT INTO schema_version (version, migration_name, applied_at) VALUES (4, '004_future', '2027-01-01T00:00:00')").run();
    n.close();
    await expect(importLegacyDatabase(newer.dbPath)).rejects.toThrow(/schema version 4 is newer than this importer knows \(1–3\)/);

    const lock = lockLegacyDatabase(v3.dbPath);
    try {
      await expect(importLegacyDatabase(v3.dbPath)).rejects.toThrow(
        /is locked by another process — stop the old PreRollTracker service first/,
      );
    } finally {
      lock.release();
    }
    expect(await snapshot()).toEqual(before);
    expect(await switchOverUsername()).toBeNull(); // the login page shows no switch-over hint
  });

  it("the command line prints one line and exits 1 (no stack); usage errors exit 2", () => {
    const env = { ...process.env, DATABASE_URL: `file:${path.join(tmp, "cli", "app.db")}`, LOG_LEVEL: "silent" };
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    const bad = spawnSync(tsx, ["scripts/import-legacy.ts", path.join(tmp, "notes.txt")], { cwd: ROOT, env, encoding: "utf8" });
    expect(bad.status).toBe(1);
    const lines = bad.stderr.split("\n").filter((l) => l && !l.startsWith("migrate:"));
    expect(lines).toEqual([`import-legacy: ${path.join(tmp, "notes.txt")}: not a SQLite database`]);
    const usage = spawnSync(tsx, ["scripts/import-legacy.ts", "--bogus"], { cwd: ROOT, env, encoding: "utf8" });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unexpected argument --bogus\nusage: npm run import-legacy/);
  });
});

describe("a fresh install with its demo data", () => {
  beforeAll(async () => {
    await seedDemoData(systemContext("bootstrap", "cli"));
  });

  it("--dry-run reports what would be imported and writes nothing", async () => {
    const before = await snapshot();
    const report = await importLegacyDatabase(v3.dbPath, { dryRun: true });
    expect(report).toMatchObject({ dry_run: true, demo_removed: true, schema_version: 3 });
    expect(report.tables.batches).toMatchObject({ read: v3.rows.batches.length, imported: v3.rows.batches.length });
    expect(report.tables.finished_goods.imported).toBe(v3.rows.finished_goods.length);
    expect(await snapshot()).toEqual(before);
  });

  it("imports: demo rows go, every legacy table comes in, one import.completed event", async () => {
    const lastEvent = (await db.event.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
    const report = await importLegacyDatabase(v3.dbPath);
    expect(report.demo_removed).toBe(true);
    expect(report.changed).toBe(true);

    // Every expected skip is reported with its reason; nothing else is skipped for a constraint.
    for (const e of v3.expected.skipped) {
      expect(report.skipped).toContainEqual(expect.objectContaining({ table: e.table, id: e.id, reason: e.reason }));
    }
    expect(report.skipped.filter((s) => s.reason === "constraint")).toEqual([]);

    const events = await db.event.findMany({ where: { id: { gt: lastEvent } } });
    expect(events.map((e) => e.type)).toEqual(["import.completed"]);
    expect(events[0].payload).toMatchObject({ kind: "legacy_preroll_tracker", rows_failed: 0, file: "preroll_tracker.db" });

    // Only the legacy batches and packages remain.
    const ids = new Set(v3.rows.batches.map((b) => b.id));
    expect((await db.batch.findMany({ select: { id: true } })).every((b) => ids.has(b.id))).toBe(true);
    const metrcs = new Set(v3.rows.finished_goods.map((p) => p.metrc_number));
    expect((await db.finishedGood.findMany({ select: { metrc_number: true } })).every((p) => metrcs.has(p.metrc_number))).toBe(true);
    // Imported audit rows say where they came from.
    const imported = await db.auditLog.findMany({ where: { entity: "batch" } });
    expect(imported.length).toBeGreaterThanOrEqual(v3.rows.audit_log.length);
    expect(imported.every((r) => r.actor === "import")).toBe(true);
  });
});

describe("afterwards ApexAPI's endpoints answer with the legacy data", () => {
  const key = () => apiKeyHeaders(v3.apiKey);

  it("the legacy API key authenticates (stored hashed)", async () => {
    const res = await call(dataRoute.GET, { path: "/api/data", headers: key() });
    expect(res.status).toBe(200);
    expect(await db.apiKey.count({ where: { key_hash: { contains: v3.apiKey } } })).toBe(0);
    expect(await call(dataRoute.GET, { path: "/api/data", headers: apiKeyHeaders(`${v3.apiKey}x`) })).toMatchObject({ status: 401 });
  });

  it("/api/data and /api/archive: the legacy batch rows field by field", async () => {
    const active = (await call(dataRoute.GET, { path: "/api/data?include_history=true", headers: key() })).json as Record<
      string,
      unknown
    >[];
    const archived = (await call(archiveRoute.GET, { path: "/api/archive", headers: key() })).json as
      { batches?: Record<string, unknown>[] } | Record<string, unknown>[];
    const archivedList = Array.isArray(archived) ? archived : (archived.batches ?? []);
    const byId = new Map([...active, ...archivedList].map((b) => [b.id, b]));
    const badJson = new Set(v3.expected.skipped.filter((s) => s.table === "batches").map((s) => s.id));
    let compared = 0;
    for (const legacy of v3.rows.batches) {
      const ours = byId.get(legacy.id);
      expect(ours, `batch ${String(legacy.id)}`).toBeDefined();
      expect(legacy.archived ? archivedList : active).toContainEqual(expect.objectContaining({ id: legacy.id }));
      for (const [field, value] of Object.entries(legacy)) {
        if (field.startsWith("_") || !(field in ours!)) continue;
        const got = ours![field];
        const where = `${String(legacy.id)}.${field}`;
        if (value === null) expect(got, where).toBeNull();
        else if (/_time$|_since$|_update$|session_start$|check_date_/.test(field)) expect(instant(got), where).toBe(instant(value));
        else if (typeof value === "string" && /^[[{]/.test(value)) {
          if (badJson.has(String(legacy.id)) && field === "rate_history") expect(got, where).toBeNull();
          else expect(got, where).toEqual(JSON.parse(value));
        } else expect(got, where).toEqual(value);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(v3.rows.batches.length * 60);
  });

  it("/api/finished-goods/: packages, balances, override and holds match", async () => {
    const res = await call(fgRoute.GET, { path: "/api/finished-goods/?include_archived=true", headers: key() });
    expect(res.status).toBe(200);
    const list = (res.json.packages ?? res.json.finished_goods ?? res.json) as Record<string, unknown>[];
    const byMetrc = new Map(list.map((p) => [p.metrc_number, p]));
    for (const legacy of v3.rows.finished_goods) {
      const ours = byMetrc.get(legacy.metrc_number);
      expect(ours, String(legacy.metrc_number)).toBeDefined();
      for (const f of [
        "strain",
        "initial_grams",
        "current_grams",
        "grams_ordered",
        "grams_packed",
        "grams_fulfilled",
        "physical_grams_override",
      ]) {
        expect(ours![f], `${String(legacy.metrc_number)}.${f}`).toEqual(legacy[f]);
      }
      expect(ours!.status).toBe(legacy.status === "retired" ? "archived" : legacy.status);
    }
    // Wholesale is a desk page (session only): the imported admin signs in.
    const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
    const holdList = (await call(holdsRoute.GET, { path: "/api/wholesale/holds", headers: await sessionHeaders(admin) })).json
      .holds as Record<string, unknown>[];
    const orphan = new Set(v3.expected.skipped.filter((s) => s.table === "wholesale_holds").map((s) => s.id));
    const legacyHolds = v3.rows.wholesale_holds.filter((h) => !orphan.has(String(h.id)));
    expect(holdList.map((h) => h.id).sort()).toEqual(legacyHolds.map((h) => h.id).sort());
    for (const h of legacyHolds) {
      expect(holdList).toContainEqual(
        expect.objectContaining({ id: h.id, metrc_number: h.metrc_number, sku_name: h.sku_name, quantity: h.quantity }),
      );
    }
  });

  it("history keeps its timestamps and order; change types are normalised", async () => {
    const res = await call(fgHistoryRoute.GET, { path: "/api/finished-goods/history?limit=1000", headers: key() });
    const rows = res.json.history as { metrc_number: string; timestamp: string; change_type: string; current_grams: number }[];
    expect(rows).toHaveLength(v3.rows.finished_goods_history.length);
    const newestFirst = [...v3.rows.finished_goods_history].reverse();
    rows.forEach((r, i) => {
      expect(r.metrc_number).toBe(newestFirst[i].metrc_number);
      expect(new Date(r.timestamp).getTime()).toBe(instant(newestFirst[i].timestamp));
      expect(r.current_grams).toBe(newestFirst[i].current_grams);
    });
    const types = new Set(rows.map((r) => r.change_type));
    for (const legacySpelling of ["deducted", "create", "added", "fulfilled", "synced", "physical_override"])
      expect(types.has(legacySpelling)).toBe(false);
    for (const ours of ["created", "deduct", "add", "complete_order", "sync", "override"]) expect(types.has(ours)).toBe(true);
  });

  it("last-updated answers with the legacy newest timestamps, verbatim", async () => {
    expect((await call(batchesLastUpdated.GET, { path: "/api/batches/last-updated", headers: key() })).json).toEqual({
      timestamp: v3.expected.newestAuditTs,
    });
    expect((await call(fgLastUpdated.GET, { path: "/api/finished-goods/last-updated", headers: key() })).json).toEqual({
      timestamp: v3.expected.newestHistoryTs,
    });
  });

  it("settings and papers carry over", async () => {
    const legacy = Object.fromEntries(v3.rows.settings.map((r) => [r.key, r.value]));
    const settings = (await call(settingsRoute.GET, { path: "/api/settings", headers: key() })).json;
    for (const k of ["allocation", "tare_weights", "test_alert_hours", "work_schedule"])
      expect(settings[k], k).toEqual(JSON.parse(String(legacy[k])));
    const inventory = (await call(inventoryRoute.GET, { path: "/api/inventory/", headers: key() })).json;
    for (const row of v3.rows.inventory) {
      expect(inventory.inventory.current_boxes[String(row.size)]).toBe(row.boxes);
      expect(inventory.inventory.alert_thresholds[String(row.size)]).toBe(row.low_threshold);
    }
    const perBox = JSON.parse(String(legacy.papers_per_box)) as Record<string, number>;
    expect(inventory.inventory.papers_per_box).toEqual(perBox);
    expect(await db.inventoryUsage.count()).toBe(v3.rows.inventory_usage.length);
  });

  it("the old admin password logs in as admin; the recovery key is still valid", async () => {
    const provider = authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } };
    const login = (password: string) =>
      provider.options.authorize({ username: "admin", password }, { headers: { "x-real-ip": "10.9.0.1" } });
    expect(await login(v3.adminPassword)).toMatchObject({ role: "admin" });
    expect(await login("not-the-password")).toBeNull();
    // The login page tells people coming from the old system what to type as the username.
    expect(await switchOverUsername()).toBe("admin");
    await expect(verifyRecoveryKey(systemContext("test"), { recovery_key: v3.recoveryKey })).resolves.toBeTruthy();
  });
});

describe("re-running", () => {
  it("changes nothing: no rows, no event", async () => {
    const before = await snapshot();
    const report = await importLegacyDatabase(v3.dbPath);
    expect(report.changed).toBe(false);
    expect(report.tables.batches).toMatchObject({ imported: 0, already: v3.rows.batches.length });
    expect(await snapshot()).toEqual(before);
  });
});

describe("a database with data made here", () => {
  let v1: LegacyFixture;
  beforeAll(async () => {
    v1 = buildLegacyDatabase(path.join(tmp, "v1"), { schemaVersion: 1 });
    await createBatch(systemContext("maria", "ui"), { strain: "Made Here OG", input_grams: 500, target_grams_each: 0.5 });
  });

  it("is refused without --merge, nothing written", async () => {
    const before = await snapshot();
    await expect(importLegacyDatabase(v1.dbPath)).rejects.toThrow(ImportRefusedError);
    await expect(importLegacyDatabase(v1.dbPath)).rejects.toThrow(/already holds data made here \(1 batch\); run again with --merge/);
    expect(await snapshot()).toEqual(before);
  });

  it("--merge adds the older-schema rows beside it and keeps rows that exist here", async () => {
    const newOnes = v1.rows.batches.filter((b) => !v3.rows.batches.some((x) => x.id === b.id));
    expect(newOnes.length).toBeGreaterThan(0);
    // One legacy id exists here already (made here, not imported): it is kept as it is.
    const clash = newOnes.find((b) => typeof b.stage === "string")!;
    await db.batch.create({ data: { id: String(clash.id), strain: "Local copy" } });
    const report = await importLegacyDatabase(v1.dbPath, { merge: true });
    expect(report.schema_version).toBe(1);
    expect(report.tables.batches.kept).toBe(1);
    expect((await db.batch.findUnique({ where: { id: String(clash.id) } }))?.strain).toBe("Local copy");
    const negative = v1.expected.skipped.find((s) => s.reason === "constraint")!;
    expect(report.skipped).toContainEqual(expect.objectContaining({ table: "batches", id: negative.id, reason: "constraint" }));
    expect(await db.batch.findUnique({ where: { id: negative.id } })).toBeNull();
    const textStage = newOnes.find((b) => typeof b.stage === "string" && b.id !== clash.id)!;
    const imported = await db.batch.findUniqueOrThrow({ where: { id: String(textStage.id) } });
    expect(imported.stage).toBe(textStage.stage === "Ground" ? 1 : 2);
    expect(await db.batch.findFirst({ where: { strain: "Made Here OG" } })).not.toBeNull();
  });
});
