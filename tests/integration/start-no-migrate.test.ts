import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { migrate } from "@/scripts/migrate.mjs";
import { dropDatabases, postgresUrl, TEST_POSTGRES_BASE, withAdmin } from "@/tests/helpers/postgres";

/**
 * `npm start -- --no-migrate` (README "Scaling out"): instances started after a release step ran
 * `npm run db:migrate` apply nothing, and refuse (one line, exit 1) a database that still lacks a
 * shipped migration — SQLite (prisma/migrations) and PostgreSQL (prisma/postgres/migrations).
 * scripts/start.mjs runs as `npm start` does, with --web-only --no-build: past the migration step it
 * bootstraps and then stops on the missing build, which is as far as these tests need it to go;
 * where a build exists (a checkout that ran the e2e) it serves, and is stopped once it got there.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
afterEach(() => {
  // The whole process group: start.mjs's own children (next-server) must not outlive a failed test.
  for (const child of children.splice(0)) if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
});

function sqliteCopy(options: { pending?: boolean } = {}): string {
  const source = process.env.DATABASE_URL!.replace(/^file:/, "");
  const file = source.replace(/\.db$/, `-nomigrate-${Math.random().toString(36).slice(2)}.db`);
  const sqlite = new Database(source);
  sqlite.exec(`VACUUM INTO '${file}'`);
  sqlite.close();
  if (options.pending) {
    const copy = new Database(file);
    copy.exec("DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)");
    copy.close();
  }
  return file;
}

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["scripts/start.mjs", "--web-only", "--no-build", "--no-migrate"], {
    cwd: ROOT,
    env: { ...process.env, HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    // Past bootstrap and serving (a build exists): as far as these tests go.
    if (/Ready in|Local: +http/.test(stdout) && child.exitCode === null) child.kill("SIGTERM");
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

function expectRefused(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(pattern)]);
  expect(result.stdout).not.toMatch(/^migrate: /m); // nothing applied, not even tried
  expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
}

const migrationCount = (file: string) => {
  const sqlite = new Database(file, { readonly: true });
  const { n } = sqlite.prepare("SELECT count(*) AS n FROM _prisma_migrations").get() as { n: number };
  sqlite.close();
  return n;
};

describe("npm start -- --no-migrate on SQLite", () => {
  it("refuses a database with a migration pending, in one line, and applies nothing", async () => {
    const file = sqliteCopy({ pending: true });
    const before = migrationCount(file);
    const result = await start({ DATABASE_URL: `file:${file}`, PORT: "3321" });
    expectRefused(result, /^preroll-tracker: --no-migrate: 1 migration is pending \(\d+_\w+\); run `npm run db:migrate` once/);
    expect(migrationCount(file)).toBe(before);
  }, 60_000);

  it("refuses a database that was never migrated", async () => {
    const file = path.join(path.dirname(process.env.DATABASE_URL!.replace(/^file:/, "")), `never-${Date.now()}.db`);
    const result = await start({ DATABASE_URL: `file:${file}`, PORT: "3322" });
    expectRefused(result, /^preroll-tracker: --no-migrate: the database has not been migrated; run `npm run db:migrate`/);
  }, 60_000);

  it("goes on to bootstrap when every migration is applied, without starting the schema engine", async () => {
    const file = sqliteCopy();
    const result = await start({ DATABASE_URL: `file:${file}`, PORT: "3323" });
    expect(result.stdout).toContain("migrate: skipped (--no-migrate); database up to date");
    expect(result.stdout).toMatch(/PreRoll Tracker is starting|Sign in with/); // got past bootstrap
    expect(result.stderr).not.toMatch(/--no-migrate/);
  }, 60_000);
});

const PREFIX = `prt_scaleops_${process.pid}_`;
async function postgresReachable(): Promise<boolean> {
  try {
    await withAdmin(async () => undefined);
    return true;
  } catch {
    return false;
  }
}
const pgUp = await postgresReachable();
if (!pgUp) console.warn(`\n⚠ PostgreSQL not reachable at ${TEST_POSTGRES_BASE}: --no-migrate PostgreSQL tests SKIPPED\n`);
afterAll(async () => {
  if (pgUp) await dropDatabases(PREFIX);
});

describe.skipIf(!pgUp)("npm start -- --no-migrate on PostgreSQL", () => {
  it("reads _prisma_migrations against prisma/postgres/migrations: refuses a fresh database, then one pending migration, then starts", async () => {
    const name = `${PREFIX}a`;
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
    const url = postgresUrl(name);

    expectRefused(await start({ DATABASE_URL: url, PORT: "3324" }), /^preroll-tracker: --no-migrate: the database has not been migrated/);

    await migrate({ databaseUrl: url, log: () => undefined });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // The newest migration looks unapplied (renamed, not deleted: its SQL cannot run twice).
      const newest = "(SELECT max(migration_name) FROM _prisma_migrations)";
      const { rows } = await client.query<{ migration_name: string }>(
        `UPDATE _prisma_migrations SET migration_name = migration_name || '_hidden' WHERE migration_name = ${newest} RETURNING migration_name`,
      );
      const hidden = rows[0].migration_name.replace(/_hidden$/, "");
      const result = await start({ DATABASE_URL: url, PORT: "3324" });
      expectRefused(result, new RegExp(`^preroll-tracker: --no-migrate: 1 migration is pending \\(${hidden}\\)`));
      await client.query("UPDATE _prisma_migrations SET migration_name = $1 WHERE migration_name = $2", [hidden, rows[0].migration_name]);
    } finally {
      await client.end();
    }

    const ok = await start({ DATABASE_URL: url, PORT: "3324" });
    expect(ok.stdout).toContain("migrate: skipped (--no-migrate); database up to date");
    expect(ok.stderr).not.toMatch(/--no-migrate/);
  }, 60_000);

  it("says in one line when the database cannot be reached", async () => {
    const result = await start({ DATABASE_URL: postgresUrl(`${PREFIX}missing`), PORT: "3325" });
    expectRefused(result, /^preroll-tracker: cannot read the database's migrations: .*does not exist/);
  }, 60_000);
});
