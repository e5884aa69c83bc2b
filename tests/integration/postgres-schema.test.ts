import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { migrate } from "@/scripts/migrate.mjs";
import { modelTables } from "@/lib/db/copy-to-postgres/models";
import { TEST_POSTGRES_BASE, postgresReachable } from "@/tests/helpers/postgres";

/**
 * The same schema runs on PostgreSQL (SPEC §4.6): the committed PostgreSQL migrations apply to
 * the local server and create every table, with Json as `json`. Skips loudly when no server is
 * reachable.
 */
const BASE = TEST_POSTGRES_BASE;

const available = await postgresReachable("PostgreSQL schema tests", BASE);

/** A new empty database, dropped after `fn`. */
async function withNewDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  const name = `preroll_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    await fn(BASE.replace(/\/[^/]*$/, `/${name}`));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

describe.skipIf(!available)("PostgreSQL", () => {
  it("applies the committed migrations and creates every table, twice without change", async () => {
    await withNewDatabase(async (url) => {
      const applied: string[] = await migrate({ databaseUrl: url, log: () => undefined });
      expect(applied.length).toBeGreaterThan(0);
      expect(await migrate({ databaseUrl: url, log: () => undefined })).toEqual([]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
      await client.end();
      const tables = rows.map((r: { table_name: string }) => r.table_name);
      for (const t of ["batches", "finished_goods", "events", "deliveries", "audit_log", "users", "api_keys", "idempotency_records"]) {
        expect(tables).toContain(t);
      }
    });
  });

  it("stores every Json field as json (text as written, not jsonb); json_as_written compacts rows jsonb had re-spaced", async () => {
    await withNewDatabase(async (url) => {
      await migrate({ databaseUrl: url, log: () => undefined });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
          "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('json', 'jsonb')",
        );
        const jsonFields = modelTables().flatMap((m) => m.columns.filter((c) => c.type === "Json").map((c) => `${m.table}.${c.name}`));
        expect(jsonFields.length).toBeGreaterThan(10);
        expect(columns.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(jsonFields.sort());
        expect(columns.filter((c) => c.data_type !== "json")).toEqual([]);

        // Prisma writes the text as given: key order and no spaces.
        const written = '{"zeta":1,"b":"x, y: z","a":[1,2]}';
        await client.query("INSERT INTO settings (key, value, updated_at) VALUES ('as_written', $1, now())", [written]);
        expect((await client.query("SELECT value::text AS v FROM settings WHERE key = 'as_written'")).rows[0].v).toBe(written);

        // The state before json_as_written: every one of those columns jsonb, rows in jsonb's text form.
        for (const c of columns) await client.query(`ALTER TABLE "${c.table_name}" ALTER COLUMN "${c.column_name}" TYPE jsonb`);
        const tricky = {
          zeta: "x, y: z",
          list: [1, -1500, { 'q"uote': "back\\slash\\", nested: [[], {}] }],
          unicode: "Blüte 🌿\ttab",
          none: null,
          yes: true,
          "key: with, separators": ", ",
        };
        await client.query("INSERT INTO settings (key, value, updated_at) VALUES ('tricky', $1::jsonb, now())", [JSON.stringify(tricky)]);
        await client.query(
          "INSERT INTO events (type, payload, actor, trace_id, source) VALUES ('test.thing', $1::jsonb, 'test', 't', 'test')",
          [JSON.stringify({ strain: "Runtz", grams: 5 })],
        );
        const jsonbText = (await client.query("SELECT value::text AS v FROM settings WHERE key = 'tricky'")).rows[0].v as string;
        expect(jsonbText).toContain('": '); // jsonb's spacing, which the migration removes

        const dir = path.resolve(__dirname, "../../prisma/postgres/migrations");
        const migration = fs.readdirSync(dir).find((d) => d.endsWith("_json_as_written"))!;
        await client.query(fs.readFileSync(path.join(dir, migration, "migration.sql"), "utf8"));

        const after = await client.query(
          "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'jsonb'",
        );
        expect(after.rows).toEqual([]);
        // Compact, keys in jsonb's order (the original order is gone), values unchanged.
        const compacted = (await client.query("SELECT value::text AS v FROM settings WHERE key = 'tricky'")).rows[0].v as string;
        expect(compacted).toBe(JSON.stringify(JSON.parse(jsonbText)));
        expect(JSON.parse(compacted)).toEqual(tricky);
        const found = await client.query(`SELECT count(*)::int AS n FROM events WHERE payload::text LIKE '%"strain":"Runtz"%'`);
        expect(found.rows[0].n).toBe(1);
      } finally {
        await client.end();
      }
    });
  });
});
