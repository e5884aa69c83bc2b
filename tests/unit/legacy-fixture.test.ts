import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import bcrypt from "bcryptjs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildLegacyDatabase,
  lockLegacyDatabase,
  truncatedCopy,
  type LegacyFixture,
  type LegacySchemaVersion,
} from "@/tests/fixtures/legacy-prt/build-legacy-db";

/** The PreRollTracker 2.0.0 database the import-legacy tests start from is what EXISTING-SYSTEM.md §4 describes. */

const TABLES = [
  "audit_log",
  "batches",
  "finished_goods",
  "finished_goods_history",
  "inventory",
  "inventory_usage",
  "schema_version",
  "settings",
  "wholesale_holds",
];
const INDEXES = [
  "idx_audit_batch",
  "idx_audit_timestamp",
  "idx_batches_archived",
  "idx_batches_metrc_number",
  "idx_batches_stage",
  "idx_batches_strain",
  "idx_finished_goods_source",
  "idx_finished_goods_status",
  "idx_finished_goods_strain",
  "idx_history_metrc",
  "idx_history_timestamp",
  "idx_usage_batch",
  "idx_usage_size",
  "idx_usage_timestamp",
  "idx_wholesale_holds_metrc",
  "idx_wholesale_holds_sku",
];
const NAIVE_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;

let root: string;
const built = {} as Record<LegacySchemaVersion, LegacyFixture>;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "legacy-prt-"));
  for (const v of [1, 2, 3] as const) built[v] = buildLegacyDatabase(path.join(root, `v${v}`), { schemaVersion: v });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function open(file: string) {
  return new Database(file, { readonly: true, fileMustExist: true });
}

describe.each([1, 2, 3] as const)("schema version %i", (version) => {
  it("has the documented tables, indexes and per-version batches columns", () => {
    const f = built[version];
    const db = open(f.dbPath);
    try {
      const names = (type: string) =>
        (
          db.prepare("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(type) as {
            name: string;
          }[]
        ).map((r) => r.name);
      expect(names("table")).toEqual(TABLES);
      expect(names("index")).toEqual(INDEXES);
      const columns = (db.pragma("table_info(batches)") as { name: string }[]).map((c) => c.name);
      expect(columns.includes("plan_use_grams")).toBe(version === 3);
      expect(columns).toHaveLength(version === 3 ? 83 : 82);
      const sql = (table: string) => (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(table) as { sql: string }).sql;
      expect(sql("batches").includes("CHECK")).toBe(version >= 2);
      expect(sql("wholesale_holds").includes("ON DELETE CASCADE")).toBe(version >= 2);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.prepare("SELECT version, migration_name FROM schema_version ORDER BY version").all()).toEqual(
        ["001_baseline", "002_add_check_constraints", "003_add_plan_use_grams"]
          .slice(0, version)
          .map((migration_name, i) => ({ version: i + 1, migration_name })),
      );
    } finally {
      db.close();
    }
  });

  it("holds exactly the rows it reports, with the orphans the old app let through", () => {
    const f = built[version];
    const db = open(f.dbPath);
    try {
      for (const [table, rows] of Object.entries(f.rows)) {
        expect(db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(), table).toEqual(rows);
      }
      expect(f.rows.batches).toHaveLength(version === 1 ? 12 : 9);
      const orphans = (db.pragma("foreign_key_check") as { table: string }[]).map((r) => r.table).sort();
      expect(orphans).toEqual(["finished_goods", "wholesale_holds"]);
      expect(f.expected.skipped.filter((s) => s.reason === "orphan").map((s) => s.table)).toEqual(["finished_goods", "wholesale_holds"]);
      expect(f.expected.skipped.some((s) => s.reason === "constraint")).toBe(version === 1);
      expect(db.prepare("SELECT MAX(ts) AS m FROM audit_log").get()).toEqual({ m: f.expected.newestAuditTs });
      expect(db.prepare("SELECT MAX(timestamp) AS m FROM finished_goods_history").get()).toEqual({ m: f.expected.newestHistoryTs });
    } finally {
      db.close();
    }
  });
});

describe("row contents", () => {
  const f = () => built[3];

  it("timestamps are naive ISO, increasing with id in audit and history", () => {
    const audit = f().rows.audit_log.map((r) => r.ts as string);
    const history = f().rows.finished_goods_history.map((r) => r.timestamp as string);
    for (const ts of [...audit, ...history]) expect(ts).toMatch(NAIVE_ISO);
    expect(audit).toEqual([...audit].sort());
    expect(history).toEqual([...history].sort());
    expect(new Set(f().rows.finished_goods_history.map((r) => r.change_type))).toEqual(
      new Set([
        "created",
        "create",
        "deducted",
        "deduct",
        "added",
        "ordered",
        "packed",
        "fulfilled",
        "archived",
        "restored",
        "apex_units",
        "sku_settings",
        "physical_override",
        "synced",
      ]),
    );
    for (const b of f().rows.batches) if (b.harvest_date) expect(b.harvest_date).toMatch(/^\d{4}-\d\d-\d\d$/);
    for (const p of f().rows.finished_goods) expect(p.metrc_number).toMatch(/^[0-9A-Z]{24}$/);
  });

  it("JSON columns parse, except the reported ones", () => {
    const bad = new Set(
      f()
        .expected.skipped.filter((s) => s.reason === "json")
        .map((s) => s.id),
    );
    for (const b of f().rows.batches) {
      for (const col of ["rate_history", "rate_metrics", "production_sessions", "weight_log_0_5", "source_materials"]) {
        if (b[col] === null || (col === "rate_history" && bad.has(b.id as string))) continue;
        expect(() => JSON.parse(b[col] as string), `${b.id}.${col}`).not.toThrow();
      }
    }
    expect(f().rows.batches.filter((b) => b.rate_history !== null && bad.has(b.id as string))).toHaveLength(1);
    for (const s of f().rows.settings) {
      if (bad.has(s.key as string)) expect(() => JSON.parse(s.value as string)).toThrow();
      else JSON.parse(s.value as string);
    }
  });

  it("the bcrypt hashes verify and .env reads back with Node's parser", () => {
    const { apiKey, recoveryKey, adminPassword, envPath, rows } = f();
    const setting = (key: string) => JSON.parse(rows.settings.find((s) => s.key === key)!.value as string);
    expect(setting("api_key")).toBe(apiKey);
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(recoveryKey).toMatch(/^HARVEST-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(setting("recovery_key_hash")).toMatch(/^\$2b\$10\$/);
    expect(bcrypt.compareSync(recoveryKey, setting("recovery_key_hash"))).toBe(true);
    const text = fs.readFileSync(envPath!, "utf8");
    expect(text).toMatch(/^ADMIN_PASSWORD_HASH=\$2b\$10\$[./A-Za-z0-9]{53}$/m); // unquoted, as the setup script wrote it
    const env = parseEnv(text);
    expect(bcrypt.compareSync(adminPassword, env.ADMIN_PASSWORD_HASH!)).toBe(true);
    expect(env.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(env).sort()).toEqual([
      "ADMIN_PASSWORD_HASH",
      "BACKUP_ENCRYPTION_KEY",
      "FLASK_ENV",
      "GITHUB_REPO",
      "PUSHOVER_APP_TOKEN",
      "SECRET_KEY",
    ]);
  });

  it("writes the legacy JSON files: older audit entries plus two duplicates", () => {
    const { dir, rows } = f();
    const audit = JSON.parse(fs.readFileSync(path.join(dir, "data/audit.json"), "utf8")) as { ts: string }[];
    const firstTs = rows.audit_log[0].ts as string;
    expect(audit.filter((a) => a.ts < firstTs).length).toBe(audit.length - 2);
    const settings = JSON.parse(fs.readFileSync(path.join(dir, "data/settings.json"), "utf8"));
    expect(settings.theme).toBe("dark");
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, "data/inventory.json"), "utf8")))).toEqual(["0_5", "0_7", "1_0"]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "dismissed_alerts.json"), "utf8")).dismissed).toEqual(["paper_low_0_7"]);
  });

  it("options: rollback-journal mode, no JSON files, no .env", () => {
    const g = buildLegacyDatabase(path.join(root, "bare"), { jsonFiles: false, envFile: false, journalMode: "delete" });
    expect(g.envPath).toBeNull();
    expect(fs.readdirSync(g.dir)).toEqual(["preroll_tracker.db"]);
    const db = open(g.dbPath);
    expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
    db.close();
  });
});

describe("bad input", () => {
  it.each(["wal", "delete"] as const)("a held write lock makes BEGIN IMMEDIATE fail with SQLITE_BUSY (%s)", (journalMode) => {
    const g = journalMode === "wal" ? built[3] : buildLegacyDatabase(path.join(root, "lock-delete"), { journalMode, jsonFiles: false });
    const lock = lockLegacyDatabase(g.dbPath);
    const other = new Database(g.dbPath, { timeout: 0 });
    try {
      expect(() => other.exec("BEGIN IMMEDIATE")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
      if (journalMode === "wal") expect(other.prepare("SELECT COUNT(*) AS n FROM batches").get()).toEqual({ n: 9 });
      lock.release();
      other.exec("BEGIN IMMEDIATE");
      other.exec("ROLLBACK");
    } finally {
      lock.release();
      other.close();
    }
  });

  it("a truncated copy fails to open or fails PRAGMA quick_check", () => {
    const out = path.join(root, "half.db");
    truncatedCopy(built[3].dbPath, out);
    expect(fs.statSync(out).size % 4096).toBe(2048);
    let verdict: string;
    try {
      const db = open(out);
      try {
        verdict = (db.pragma("quick_check") as { quick_check: string }[]).map((r) => r.quick_check).join("; ");
      } finally {
        db.close();
      }
    } catch (err) {
      verdict = String(err);
    }
    expect(verdict).not.toBe("ok");
  });
});
