import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import * as healthRoute from "@/app/api/health/route";

/**
 * `/api/health`: liveness (cheap, always 200 while the process answers) and readiness
 * (`?ready=1`: database, migrations, worker heartbeat, free disk → 200 or 503 with each check).
 */

const live = () => call(healthRoute.GET, { path: "/api/health" });
const ready = () => call(healthRoute.GET, { path: "/api/health?ready=1" });

async function beat(ageSeconds: number) {
  const at = new Date(Date.now() - ageSeconds * 1000);
  await db.workerHeartbeat.upsert({
    where: { id: "test-worker" },
    create: { id: "test-worker", started_at: at, beat_at: at },
    update: { beat_at: at },
  });
}

afterEach(async () => {
  delete process.env.HEALTH_MIN_FREE_DISK_MB;
  await db.workerHeartbeat.deleteMany();
});

describe("liveness", () => {
  it("answers 200 with the version for anyone, uncached, without a worker", async () => {
    const res = await live();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "ok", version: expect.any(String), uptime_seconds: expect.any(Number) });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("readiness", () => {
  it("is 200 when the database answers, every migration is applied, a worker beat recently and the disk has room", async () => {
    await beat(5);
    const res = await ready();
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe("ok");
    expect(res.json.checks.database).toMatchObject({ ok: true, latency_ms: expect.any(Number) });
    expect(res.json.checks.migrations).toMatchObject({ ok: true, pending: [] });
    expect(res.json.checks.migrations.applied).toBeGreaterThan(0);
    expect(res.json.checks.worker).toMatchObject({ ok: true, age_seconds: 5 });
    expect(res.json.checks.disk).toMatchObject({ ok: true, free_mb: expect.any(Number), min_free_mb: 200 });
  });

  it("is 503 when no worker has beaten, or the last beat is over a minute old", async () => {
    const none = await ready();
    expect(none.status).toBe(503);
    expect(none.json.status).toBe("unavailable");
    expect(none.json.checks.worker).toMatchObject({ ok: false, age_seconds: null });
    expect(none.json.checks.database.ok).toBe(true);

    await beat(90);
    const stale = await ready();
    expect(stale.status).toBe(503);
    expect(stale.json.checks.worker).toMatchObject({ ok: false, age_seconds: 90, max_age_seconds: 60 });
  });

  it("is 503 when the backup disk is below the threshold", async () => {
    await beat(1);
    process.env.HEALTH_MIN_FREE_DISK_MB = String(1024 ** 3); // a petabyte
    const res = await ready();
    expect(res.status).toBe(503);
    expect(res.json.checks.disk.ok).toBe(false);
    expect(res.json.checks.worker.ok).toBe(true);
  });

  it("is 503 and names the migration when one has not been applied", async () => {
    await beat(1);
    const [latest] = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1",
    );
    // Tagged templates: Prisma writes each engine's placeholders.
    await db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = ${latest.migration_name}`;
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.json.checks.migrations).toMatchObject({ ok: false, pending: [latest.migration_name] });
    } finally {
      await db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = ${latest.migration_name}`;
    }
  });

  it("tells the public nothing secret: no paths, database URL or error text", async () => {
    const res = await ready();
    expect(res.text).not.toContain(process.cwd());
    expect(res.text).not.toContain(process.env.DATABASE_URL!);
    expect(res.text).not.toMatch(/secret|password|stack/i);
  });
});
