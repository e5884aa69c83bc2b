import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, sqlitePath } from "@/lib/db/client";
import { resetDataVersionProbe } from "@/lib/db/data-version";
import { closeSqliteStore } from "@/lib/events/delivery/store/sqlite/connection";
import { systemContext } from "@/lib/context";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { updateSettings } from "@/lib/domain/settings/settings";
import { createSubscriber } from "@/lib/events/subscribers/service";
import { relayAll } from "@/lib/events/relay";
import { PrismaClient as SqliteClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PgClient } from "@/lib/generated/prisma-pg/client";
import { copySqliteToPostgres } from "@/lib/db/copy-to-postgres";
import { modelTables } from "@/lib/db/copy-to-postgres/models";
import { readPgCatalog } from "@/lib/db/copy-to-postgres/plan";
import { buildBatch } from "@/prisma/seed/batch";
import { createApiKey, createUser } from "@/prisma/seed/user";
import { seedDemoData } from "@/scripts/seed-demo";
import { TEST_POSTGRES_BASE, postgresReachable } from "@/tests/helpers/postgres";

/**
 * `npm run migrate-to-postgres` (scripts/migrate-to-postgres.ts, lib/db/copy-to-postgres/): a
 * SQLite database filled by the app's own code (demo seed, users, keys, settings, subscribers,
 * deliveries and attempts, a unicode strain, NULL dates) arrives in PostgreSQL with every row of
 * every table equal field by field through the two generated Prisma clients, ids kept and the
 * sequences past them; a second run, a SQLite file with a pending migration and a file the app
 * still has open are refused.
 */

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const BASE = TEST_POSTGRES_BASE;
const SUFFIX = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const TARGET_DB = `prt_copy_${SUFFIX}`;
const UNTOUCHED_DB = `prt_copy_${SUFFIX}_untouched`;
const urlOf = (name: string) => BASE.replace(/\/[^/]*$/, `/${name}`);
const TARGET = urlOf(TARGET_DB);
const UNICODE_STRAIN = "Blüte Ω — “Zoë’s” 大麻 🌿";

const available = await postgresReachable("migrate-to-postgres tests", BASE);

function runCommand(...args: string[]) {
  const result = spawnSync(TSX, ["scripts/migrate-to-postgres.ts", ...args], { cwd: ROOT, encoding: "utf8", env: process.env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  try {
    return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

const sourceFile = sqlitePath(process.env.DATABASE_URL!);
const tmpFiles: string[] = [];

describe.skipIf(!available)("npm run migrate-to-postgres", () => {
  beforeAll(async () => {
    const ctx = systemContext("bootstrap", "cli");
    await createUser(db, { role: "admin", username: "admin" }); // last_login_at stays NULL
    await createUser(db, { role: "viewer", username: "zoë-viewer", active: false });
    await createApiKey(db, { name: "ApexAPI" });
    await createApiKey(db, { name: "old key ✓", revoked: true });
    await seedDemoData(ctx);
    await createBatch(ctx, { ...buildBatch({ strain: UNICODE_STRAIN, input_grams: 900 }), stage: 0 });
    await updateSettings(ctx, { work_schedule: { start_hour: 7, end_hour: 16, work_days: [0, 1, 2, 3] }, allocation: [50, 25, 25] });
    await createSubscriber(ctx, {
      name: "Shop webhook ✓",
      event_types: "batch.*,finished_good.*",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/hook", headers: { Authorization: "Bearer é" } },
      ordered: true,
      max_attempts: 8,
      active: true,
    });
    await relayAll(db);
    const deliveries = await db.delivery.findMany({ orderBy: { created_at: "asc" }, take: 3 });
    expect(deliveries.length).toBe(3);
    for (const [i, d] of deliveries.entries()) {
      await db.deliveryAttempt.create({
        data: {
          delivery_id: d.id,
          attempt_number: 1,
          url: "http://127.0.0.1:9/hook",
          duration_ms: 12 + i,
          status_code: i === 0 ? null : 500,
          error: i === 0 ? "connect ECONNREFUSED" : null,
          response_excerpt: i === 0 ? null : "Überlastet",
          next_attempt_at: i === 2 ? null : new Date(Date.now() + 60_000),
        },
      });
      await db.delivery.update({ where: { id: d.id }, data: { attempts: 1, last_error: "failed", status: "failed" } });
    }
    // The app stops before the copy: every connection it holds to the file closes.
    await db.$disconnect();
    closeSqliteStore();
    resetDataVersionProbe();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    try {
      for (const name of [TARGET_DB, UNTOUCHED_DB]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    for (const file of tmpFiles) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  });

  it("refuses while the app still has the SQLite file open, before touching the target", async () => {
    const app = new Database(sourceFile);
    app.pragma("journal_mode"); // an open connection, as a running web or worker process has
    try {
      await expect(
        copySqliteToPostgres({
          sqliteFile: sourceFile,
          targetUrl: urlOf(UNTOUCHED_DB),
          migrationsDir: path.join(ROOT, "prisma/migrations"),
          inUseWaitMs: 0,
        }),
      ).rejects.toThrow(/in use by a running instance; stop it/);
    } finally {
      app.close();
    }
    expect(await databaseExists(UNTOUCHED_DB)).toBe(false);
  });

  it("copies every table of the schema, row for row and field by field, keeping ids; sequences continue at max(id) + 1", async () => {
    const run = runCommand("--from", `file:${sourceFile}`, "--to", TARGET, "--yes");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const time = /copied (\d+) rows in (\d+) tables in ([\d.]+) s/.exec(run.stdout);
    expect(time, run.stdout).not.toBeNull();
    console.log(`migrate-to-postgres: ${time![0]}`);

    const models = modelTables();
    expect(Number(time![2])).toBe(models.length);
    const source = new Database(sourceFile, { readonly: true });
    const sqlite = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: `file:${sourceFile}` }) });
    const target = new PgClient({ adapter: new PrismaPg({ connectionString: TARGET }) });
    const catalogClient = new pg.Client({ connectionString: TARGET });
    await catalogClient.connect();
    try {
      const catalog = await readPgCatalog(catalogClient);
      let total = 0;
      for (const { model, table } of models) {
        const count = source.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
        total += count;
        // The printed summary names every table with its row count.
        expect(run.stdout, table).toMatch(new RegExp(`^\\s+${table}\\s+${count}$`, "m"));
        const delegate = model[0].toLowerCase() + model.slice(1);
        const orderBy = catalog.get(table)!.primaryKey.map((column) => ({ [column]: "asc" }));
        type Finder = { findMany(args: object): Promise<Record<string, unknown>[]> };
        const before = await (sqlite as unknown as Record<string, Finder>)[delegate].findMany({ orderBy });
        const after = await (target as unknown as Record<string, Finder>)[delegate].findMany({ orderBy });
        expect(after.length, table).toBe(count);
        // Dates compare as instants; Json as values (its text is compared below).
        expect(after, table).toEqual(before);
      }
      expect(Number(time![1])).toBe(total);

      // Json arrives as the same text, key order and spacing included (json, not jsonb).
      let jsonColumns = 0;
      for (const { table, columns } of models) {
        const key = catalog
          .get(table)!
          .primaryKey.map((c) => `"${c}"`)
          .join(" || '/' || ");
        for (const { name } of columns.filter((c) => c.type === "Json")) {
          jsonColumns += 1;
          const sql = `SELECT CAST(${key} AS TEXT) AS k, CAST("${name}" AS TEXT) AS v FROM "${table}"`;
          const byKey = (rows: { k: string; v: string | null }[]) => rows.map((r) => `${r.k} ${r.v}`).sort();
          const before = byKey(source.prepare(sql).all() as { k: string; v: string | null }[]);
          const after = byKey((await catalogClient.query(sql)).rows);
          expect(after, `${table}.${name}`).toEqual(before);
        }
      }
      expect(jsonColumns).toBeGreaterThan(10);
      const schedule = await catalogClient.query(`SELECT CAST(value AS TEXT) AS v FROM settings WHERE key = 'work_schedule'`);
      expect(schedule.rows[0].v).toBe('{"start_hour":7,"end_hour":16,"work_days":[0,1,2,3]}');

      // What the fill put in arrived (so the comparison above compared something).
      for (const table of [
        "users",
        "api_keys",
        "settings",
        "batches",
        "count_entries",
        "stage_history",
        "finished_goods",
        "finished_goods_history",
        "supplies",
        "bom_items",
        "audit_log",
        "events",
        "subscribers",
        "deliveries",
        "delivery_attempts",
      ]) {
        const { rows } = await catalogClient.query(`SELECT count(*)::int AS n FROM "${table}"`);
        expect(rows[0].n, table).toBeGreaterThan(0);
      }
      expect((await target.batch.findFirst({ where: { strain: UNICODE_STRAIN } }))?.strain).toBe(UNICODE_STRAIN);
      expect((await target.user.findUnique({ where: { username: "admin" } }))?.last_login_at).toBeNull();
      expect((await target.user.findUnique({ where: { username: "zoë-viewer" } }))?.active).toBe(false);
      expect((await target.setting.findUnique({ where: { key: "allocation" } }))?.value).toEqual([50, 25, 25]);
      expect(await target.deliveryAttempt.count({ where: { next_attempt_at: null } })).toBe(1);

      // Every sequence-backed table: the next row gets max(id) + 1.
      const sequenced = [...catalog].filter(([, t]) => t.sequenced.includes("id")).map(([name]) => name);
      expect(sequenced).toEqual(expect.arrayContaining(["events", "audit_log", "count_entries", "delivery_attempts"]));
      for (const table of sequenced) {
        // Read without drawing: the next nextval() is last_value (+ 1 once called).
        const seq = (await catalogClient.query(`SELECT pg_get_serial_sequence('"${table}"', 'id') AS name`)).rows[0].name as string;
        const { rows } = await catalogClient.query(
          `SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM "${table}") AS expected,
                  (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ${seq}) AS next`,
        );
        expect(Number(rows[0].next), table).toBe(Number(rows[0].expected));
      }
      // Analyzed as copied: the planner knows the tables' sizes before autovacuum ever runs.
      const unanalyzed = await catalogClient.query(
        "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY($1) AND last_analyze IS NULL AND last_autoanalyze IS NULL",
        [models.map((m) => m.table)],
      );
      expect(unanalyzed.rows).toEqual([]);
      expect(run.stdout).toContain(`analyzed ${models.length} tables`);
      // … and through the PostgreSQL Prisma client, as the app will insert.
      const maxEvent = (await target.event.aggregate({ _max: { id: true } }))._max.id!;
      const event = await target.event.create({ data: { type: "test.ping", payload: {}, actor: "test", trace_id: "t", source: "test" } });
      // Outside mutate the events trigger draws the id again under the write lock (one id skipped).
      expect(event.id).toBeGreaterThan(maxEvent);
      expect(event.id).toBeLessThanOrEqual(maxEvent + 2);
      const maxAudit = (await target.auditLog.aggregate({ _max: { id: true } }))._max.id!;
      const audit = await target.auditLog.create({ data: { entity: "test", entity_id: "1", field: "x", actor: "test" } });
      expect(audit.id).toBe(maxAudit + 1);
    } finally {
      await catalogClient.end();
      await sqlite.$disconnect();
      await target.$disconnect();
      source.close();
    }
  });

  it("a second run refuses: the target is not empty", () => {
    const run = runCommand("--from", `file:${sourceFile}`, "--to", TARGET, "--yes");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^migrate-to-postgres refused: .* already has rows in .*; the copy needs an empty database$/);
    expect(run.stderr.split("\n")).toHaveLength(1);
  });

  it("a SQLite file with a pending migration is refused, and the target is not created", async () => {
    const stale = path.join(path.dirname(sourceFile), `stale-${SUFFIX}.db`);
    tmpFiles.push(stale);
    const copy = new Database(sourceFile, { readonly: true });
    await copy.backup(stale);
    copy.close();
    const file = new Database(stale);
    const last = file.prepare("SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1").pluck().get() as string;
    file.prepare("DELETE FROM _prisma_migrations WHERE migration_name = ?").run(last);
    file.close();

    const run = runCommand("--from", `file:${stale}`, "--to", urlOf(UNTOUCHED_DB), "--yes");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^migrate-to-postgres refused: .* has 1 pending migration \\(${last}\\)`));
    expect(run.stderr.split("\n")).toHaveLength(1);
    expect(await databaseExists(UNTOUCHED_DB)).toBe(false);
  });
});
