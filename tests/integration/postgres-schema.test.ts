import { describe, expect, it } from "vitest";
import pg from "pg";
import { migrate } from "@/scripts/migrate.mjs";

/**
 * The same schema runs on PostgreSQL (SPEC §4.6): the committed PostgreSQL migrations apply to
 * the local server and create every table. Skips loudly when no server is reachable.
 */
const BASE = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: BASE, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const available = await reachable();
if (!available) console.warn(`\n⚠ PostgreSQL not reachable at ${BASE}: PostgreSQL schema tests SKIPPED\n`);

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
