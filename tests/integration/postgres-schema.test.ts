import { describe, expect, it } from "vitest";
import pg from "pg";
import { migrate } from "@/scripts/migrate.mjs";
import { TEST_POSTGRES_BASE, postgresReachable } from "@/tests/helpers/postgres";

/**
 * The same schema runs on PostgreSQL (SPEC §4.6): the committed PostgreSQL migrations apply to
 * the local server and create every table. Skips loudly when no server is reachable.
 */
const BASE = TEST_POSTGRES_BASE;

const available = await postgresReachable("PostgreSQL schema tests", BASE);

describe.skipIf(!available)("PostgreSQL", () => {
  it("applies the committed migrations and creates every table, twice without change", async () => {
    const name = `preroll_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      const url = BASE.replace(/\/[^/]*$/, `/${name}`);
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
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
