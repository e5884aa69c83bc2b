import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { dropDatabases, postgresUrl, withAdmin } from "@/tests/helpers/postgres";

/**
 * scripts/bootstrap.ts as `npm start` runs it: a process against a fresh migrated database — a
 * copy of the template file (SQLite) or a clone of the template database (PostgreSQL).
 */

const root = path.resolve(__dirname, "../..");
const pgTemplate = inject("postgresTemplate");
const pgPrefix = `${inject("postgresPrefix")}boot${process.pid}_`;
afterAll(async () => {
  if (pgTemplate) await dropDatabases(pgPrefix);
});

async function freshDb(): Promise<string> {
  const suffix = Math.random().toString(36).slice(2, 8);
  if (pgTemplate) {
    await withAdmin(async (admin) => void (await admin.query(`CREATE DATABASE "${pgPrefix}${suffix}" TEMPLATE "${pgTemplate}"`)));
    return postgresUrl(`${pgPrefix}${suffix}`);
  }
  const file = process.env.DATABASE_URL!.replace(/^file:/, "").replace(/\.db$/, `-boot-${suffix}.db`);
  fs.copyFileSync(process.env.DATABASE_URL!.replace(/^file:/, ""), file);
  return `file:${file}`;
}
function bootstrap(url: string, env: Record<string, string> = {}) {
  const { ADMIN_PASSWORD: _p, ADMIN_USERNAME: _u, SEED_DEMO: _s, ...inherited } = process.env;
  const out = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/bootstrap.ts"], {
    cwd: root,
    env: { ...inherited, DATABASE_URL: url, ...env },
  }).toString();
  return JSON.parse(out.trim().split("\n").at(-1)!);
}
/** Rows of a plain SQL query (valid on both engines) on `url`; counts come back as numbers. */
async function rows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith("file:")) {
    const sqlite = new Database(url.replace(/^file:/, ""), { readonly: true });
    try {
      return sqlite.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // pg returns count(*) (bigint) as a string.
    return (await client.query(sql)).rows.map((r) => (r.n === undefined ? r : { ...r, n: Number(r.n) }));
  } finally {
    await client.end();
  }
}
const count = async (url: string, sql: string) => (await rows(url, sql))[0].n as number;

describe("first start", () => {
  it("creates the admin from ADMIN_USERNAME/ADMIN_PASSWORD and seeds demo data once", async () => {
    const url = await freshDb();
    const first = bootstrap(url, { ADMIN_USERNAME: "boss", ADMIN_PASSWORD: "boss-password" });
    expect(first).toMatchObject({ admin_created: true, username: "boss", generated: false, seeded: true });
    expect(first.password).toBeUndefined();
    expect(await rows(url, "select username, role from users")).toEqual([{ username: "boss", role: "admin" }]);
    const stages = (await rows(url, "select distinct stage from batches order by stage")).map((r) => (r as { stage: number }).stage);
    expect(stages).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await count(url, "select count(*) n from count_entries")).toBeGreaterThan(50);
    // Every batch from "In progress" on has a few working days of counts, so a cached rate and history.
    const unrated = await rows(
      url,
      "select strain from batches where stage >= 2 and (cached_production_rate is null or cached_production_rate <= 0 or CAST(rate_history AS TEXT) = '[]')",
    );
    expect(unrated).toEqual([]);
    const tags = (await rows(url, "select metrc_number from finished_goods")) as { metrc_number: string }[];
    expect(tags.length).toBeGreaterThan(0);
    for (const t of tags) expect(t.metrc_number).toMatch(/^1A4[A-Z0-9]{21}$/);
    expect(await count(url, "select count(*) n from finished_goods_history")).toBeGreaterThan(tags.length);
    expect(await count(url, "select count(*) n from supplies where kind = 'paper'")).toBe(3);
    const batches = await count(url, "select count(*) n from batches");

    const second = bootstrap(url, { ADMIN_USERNAME: "other", ADMIN_PASSWORD: "other-password" });
    expect(second).toEqual({ admin_created: false });
    expect(await count(url, "select count(*) n from batches")).toBe(batches);
    expect(await count(url, "select count(*) n from users")).toBe(1);
  });

  it("generates and reports a password when none is configured; SEED_DEMO=false skips demo data", async () => {
    const url = await freshDb();
    const result = bootstrap(url, { SEED_DEMO: "false", ADMIN_USERNAME: "admin" });
    expect(result.admin_created).toBe(true);
    expect(result.generated).toBe(true);
    expect(result.password).toMatch(/^[\w-]{16,}$/);
    expect(await count(url, "select count(*) n from batches")).toBe(0);
  });
});
