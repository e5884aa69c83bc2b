import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { databaseUrl, db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { withAdmin } from "@/tests/helpers/postgres";
import * as healthRoute from "@/app/api/health/route";

/**
 * `/api/health?ready=1` on PostgreSQL (issue [12], twin of tests/integration/health.test.ts, which
 * also runs here): the migrations check reads prisma/postgres/migrations, and the database check
 * fails (503) while the server refuses connections, then recovers.
 */

const ready = () => call(healthRoute.GET, { path: "/api/health?ready=1" });
const dbName = () => new URL(databaseUrl()).pathname.slice(1);
const root = process.cwd();

async function beat() {
  const at = new Date();
  await db.workerHeartbeat.upsert({
    where: { id: "pg-worker" },
    create: { id: "pg-worker", started_at: at, beat_at: at },
    update: { beat_at: at },
  });
}

afterEach(() => process.chdir(root));

describe("readiness on PostgreSQL", () => {
  it("checks every shipped PostgreSQL migration is applied", async () => {
    await beat();
    const res = await ready();
    expect(res.status, res.text).toBe(200);
    const shipped = fs.readdirSync(path.join(root, "prisma/postgres/migrations"), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(res.json.checks.migrations).toMatchObject({ ok: true, pending: [], applied: shipped.length });
  });

  it("reads prisma/postgres/migrations, not the SQLite folder", async () => {
    await beat();
    // An app folder whose two migrations folders differ by one extra migration each.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prt-health-"));
    try {
      for (const folder of ["prisma/migrations", "prisma/postgres/migrations"]) {
        fs.cpSync(path.join(root, folder), path.join(dir, folder), { recursive: true });
      }
      fs.mkdirSync(path.join(dir, "prisma/migrations/29990101000000_sqlite_only"));
      fs.mkdirSync(path.join(dir, "prisma/postgres/migrations/29990101000000_postgres_only"));
      process.chdir(dir);
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.json.checks.migrations).toMatchObject({ ok: false, pending: ["29990101000000_postgres_only"] });
    } finally {
      process.chdir(root);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is 503 while the database refuses connections, and ready again once it accepts them", async () => {
    await beat();
    const name = dbName();
    await withAdmin(async (admin) => {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      // Ends the app pool's open connections, so its next query has to connect anew.
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    });
    try {
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.json.checks.database).toEqual({ ok: false, detail: "database unavailable" });
      expect(down.json.checks.migrations.ok).toBe(false);
      expect(down.text).not.toContain(name);
    } finally {
      await withAdmin(async (admin) => void (await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`)));
    }
    const up = await ready();
    expect(up.status, up.text).toBe(200);
    expect(up.json.checks.database).toMatchObject({ ok: true, latency_ms: expect.any(Number) });
  });
});
