import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { test, expect, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { login } from "./fixtures";
import { AppInstance, freePort, migrateDatabase } from "./app-instances";
import { dropDatabases, postgresReachable, postgresUrl, withAdmin } from "../tests/helpers/postgres";
import { redisUnreachable, TEST_REDIS_URL } from "../tests/helpers/redis";

/**
 * Issue [12] with the real processes: web A and web B (`scripts/start.mjs --web-only`) and workers
 * W1 and W2 (`--worker-only`, the real worker/index.ts) from this run's production build, on one
 * PostgreSQL database made for this file and one Redis channel of its own. A browser signed in on
 * B sees a package created through A's API, and an SSE client of B gets its event, in < 1 s; a key
 * revoked on A is refused by B within 1 s; webhook deliveries made by two workers arrive exactly
 * once, and after W1 is SIGKILLed mid-stream W2 finishes its leases; a job runs once per interval.
 * tests/postgres/two-instances.test.ts checks the same with harness processes (faster, and with
 * 3 000 deliveries). Skips loudly without PostgreSQL or Redis.
 */

// Events are made one HTTP request each (POST /api/apex-sync-trigger: one `sync.requested`; no
// route makes many at once), so their number is bounded by time as well.
/** Deliveries of the exactly-once test: some written through A's API, the rest straight into the database. */
const DELIVERIES = 5_000;
const EMIT_BUDGET_MS = 5_000;
const MIN_THROUGH_API = 25; // not a vacuous run; a 2-core machine under load 10 wrote 50–110 in 5 s
const MAX_KILL_DELIVERIES = 1_000;
const KILL_EMIT_BUDGET_MS = 6_000;
const JOB_INTERVAL_S = 10; // the smallest interval an admin may set (lib/jobs/interval-overrides.ts)
const ADMIN = { username: `two-instances-${process.pid}`, password: "two-instances-admin-password" };
const DB_PREFIX = `e2e_two_instances_${process.pid}_`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.describe.configure({ mode: "serial" });

/** The webhook receiver: how often each event id arrived; optional delay per answer. */
const received = new Map<number, number>();
let receiverDelayMs = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const { id } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: number };
    received.set(id, (received.get(id) ?? 0) + 1);
    setTimeout(() => res.end("ok"), receiverDelayMs);
  });
});

let database = "";
let sql: pg.Pool;
let a: AppInstance, b: AppInstance, w1: AppInstance, w2: AppInstance;
const started: AppInstance[] = [];
const url = { a: "", b: "" };
/** Heartbeat ids (= delivery `locked_by`) of W1 and W2. */
const workerId = { w1: "", w2: "" };
let context: BrowserContext;
let apiKey = "";
let jobsFrom = { eventId: 0, at: 0 };
let tmp = "";

/** Session requests (signed in on B; the cookie is the host's, so A reads it too) with the Origin the route wrapper wants. */
async function session(request: APIRequestContext, method: "post" | "patch" | "delete", to: string, data?: unknown) {
  const origin = new URL(to).origin;
  const res = await request.fetch(to, { method, data, headers: { origin } });
  expect(res.ok(), `${method.toUpperCase()} ${to}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

const withKey = (key: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { "x-api-key": key, "content-type": "application/json", ...init.headers },
});

/**
 * Up to `max` `sync.requested` events through A's API, `parallel` requests at a time, until
 * `budgetMs` has passed (a slow machine makes fewer rather than blowing the file's time budget);
 * resolves with how many were written and the requests' median and 95th percentile time.
 */
async function emitThroughA(max: number, budgetMs: number, parallel = 12): Promise<{ n: number; p50: number; p95: number }> {
  const deadline = Date.now() + budgetMs;
  let claimed = 0;
  const took: number[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (claimed < max && Date.now() < deadline) {
        claimed++;
        const sent = Date.now();
        const res = await fetch(`${url.a}/api/apex-sync-trigger`, withKey(apiKey, { method: "POST", body: "{}" }));
        if (res.status !== 200) throw new Error(`apex-sync-trigger on A: ${res.status} ${await res.text()}`);
        took.push(Date.now() - sent);
      }
    }),
  );
  took.sort((x, y) => x - y);
  const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? 0;
  return { n: took.length, p50: at(0.5), p95: at(0.95) };
}

/** `mutate`'s write lock (WRITE_LOCK_KEY in lib/db/mutate.ts): taken first, so event ids commit in order. */
const WRITE_LOCK_KEY = 0x50525431;

/**
 * `count` `sync.requested` events committed as `mutate` commits them on PostgreSQL (the write
 * lock, marked held for the events trigger; the rows; `pg_notify` with the last id), in
 * transactions of `per` events: the API makes one event per request, too few for a 5 000-delivery
 * run within the file's time budget.
 */
async function emitInBulk(count: number, per = 1_000): Promise<void> {
  for (let done = 0; done < count; done += per) {
    const n = Math.min(per, count - done);
    const c = await sql.connect();
    try {
      await c.query("BEGIN");
      await c.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}), set_config('preroll.events_write_lock', 'held', true)`);
      const { rows } = await c.query<{ id: number }>(
        `INSERT INTO events (type, payload, actor, trace_id, source, created_at)
         SELECT 'sync.requested', json_build_object('requested_at', 'e2e-bulk-' || g), 'e2e', md5(g::text), 'e2e', now() AT TIME ZONE 'UTC'
         FROM generate_series($1::int, $2::int) AS g ORDER BY g RETURNING id`,
        [done + 1, done + n],
      );
      await c.query("SELECT pg_notify('preroll_changes', $1)", [String(Math.max(...rows.map((r) => r.id)))]);
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}

async function createWebhook(name: string, path: string): Promise<string> {
  const { port } = receiver.address() as AddressInfo;
  const body = await session(context.request, "post", `${url.a}/api/admin/subscribers`, {
    name,
    event_types: "sync.requested",
    kind: "webhook",
    config: { url: `http://127.0.0.1:${port}${path}`, timeout_ms: 5000 },
    ordered: false,
    max_attempts: 5,
  });
  return body.subscriber.id as string;
}

/** Delivery rows of a subscriber by status, and their attempts in all. */
async function deliveryRows(subscriberId: string) {
  const { rows } = await sql.query<{ status: string; n: number; attempts: number }>(
    "SELECT status, count(*)::int AS n, sum(attempts)::int AS attempts FROM deliveries WHERE subscriber_id = $1 GROUP BY status",
    [subscriberId],
  );
  return rows;
}

/** Polls who holds leases on a subscriber's deliveries until stopped: every holder seen. */
function sampleLeaseHolders(subscriberId: string) {
  const seen = new Set<string>();
  let on = true;
  const loop = (async () => {
    while (on) {
      const { rows } = await sql.query<{ locked_by: string }>(
        "SELECT DISTINCT locked_by FROM deliveries WHERE subscriber_id = $1 AND status = 'processing'",
        [subscriberId],
      );
      rows.forEach((r) => seen.add(r.locked_by));
      await sleep(20);
    }
  })();
  return async () => {
    on = false;
    await loop;
    return seen;
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const pgOk = await postgresReachable("e2e/two-instances.spec.ts (two web instances + two workers)");
  const redisDown = await redisUnreachable("e2e/two-instances.spec.ts (two web instances + two workers)");
  test.skip(!pgOk || redisDown !== null, `two-instance e2e SKIPPED: ${!pgOk ? "PostgreSQL" : "Redis"} is not reachable`);

  const t0 = Date.now();
  database = `${DB_PREFIX}${Date.now().toString(36)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${database}"`));
  sql = new pg.Pool({ connectionString: postgresUrl(database), max: 3 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prt-two-instances-"));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));

  const [portA, portB] = [await freePort(), await freePort()];
  url.a = `http://127.0.0.1:${portA}`;
  url.b = `http://127.0.0.1:${portB}`;
  const shared = {
    DATABASE_URL: postgresUrl(database),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_EVENTS_CHANNEL: `prt-e2e-two-instances-${database}`, // runs side by side do not hear each other
    INSTANCES: "2",
    NEXTAUTH_SECRET: "e2e-two-instances-secret-not-for-production-0123456789",
    LOG_LEVEL: "warn",
    INBOX_DIR: path.join(tmp, "inbox"),
    BACKUP_DIR: path.join(tmp, "backups"),
    // The emitting client makes thousands of requests a minute with one key.
    API_RATE_LIMIT_PER_MIN: "0",
  };
  const web = (port: number) => ({
    ...shared,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    SEED_DEMO: "false",
  });
  // Deliveries are leased for 2 s (not 30): W1's orphaned leases expire within the test's budget.
  const worker = { ...shared, DELIVERY_LEASE_MS: "2000" };

  // The release step (migrate once), then every instance with --no-migrate. A creates the admin
  // (bootstrap) while the workers start; B starts once A's bootstrap is done, so two never race.
  await migrateDatabase(shared);
  const migratedIn = Date.now() - t0;
  a = AppInstance.start("A", ["--web-only", "--no-build", "--no-migrate"], web(portA));
  w1 = AppInstance.start("W1", ["--worker-only", "--no-migrate"], worker);
  w2 = AppInstance.start("W2", ["--worker-only", "--no-migrate"], worker);
  started.push(a, w1, w2);
  // start.mjs prints this once bootstrap is done, as it starts `next start`.
  await until(() => a.output.some((line) => line.includes("PreRoll Tracker is starting on")) || a.exited !== null, 90_000, "A's bootstrap");
  const aUpIn = Date.now() - t0;
  b = AppInstance.start("B", ["--web-only", "--no-build", "--no-migrate"], web(portB));
  started.push(b);
  await a.healthy(`${url.a}/api/health`, 60_000);
  await b.healthy(`${url.b}/api/health`, 60_000);
  await until(
    async () => {
      const { rows } = await sql.query<{ id: string; info: { pid: number } }>("SELECT id, info FROM worker_heartbeats");
      for (const row of rows) {
        if (w1.owns(row.info.pid)) workerId.w1 = row.id;
        if (w2.owns(row.info.pid)) workerId.w2 = row.id;
      }
      for (const w of [w1, w2]) if (w.exited !== null) throw new Error(`${w.name} exited (${w.exited}):\n${w.log()}`);
      return workerId.w1 !== "" && workerId.w2 !== "";
    },
    60_000,
    "both workers' heartbeats",
  );
  const startedIn = Date.now() - t0;

  // Signed in on B, as a manager's browser would be.
  context = await browser.newContext({ baseURL: url.b, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await login(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId("current-user")).toContainText(ADMIN.username);
  await page.close();
  apiKey = (await session(context.request, "post", `${url.a}/api/api-keys`, { name: "two-instances", role: "operator" })).api_key;

  // Housekeeping every 10 s from now on; the last test counts its runs over the whole file.
  jobsFrom = { eventId: await newestEventId(), at: Date.now() };
  await session(context.request, "patch", `${url.a}/api/admin/jobs/housekeeping`, { interval_seconds: JOB_INTERVAL_S });
  console.log(
    `two-instances: migrated after ${migratedIn} ms, A bootstrapped after ${aUpIn} ms, B, W1, W2 after ${startedIn} ms (database ${database})`,
  );
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const p of started) await testInfo.attach(`${p.name}.log`, { body: p.log(200), contentType: "text/plain" });
  }
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  // Every step, even after one failed: no process, database or directory is left behind.
  const steps = [
    () => context?.close(),
    () => Promise.all(started.map((p) => p.stop())),
    async () => {
      if (!receiver.listening) return;
      receiver.closeAllConnections(); // keep-alive sockets of the workers' webhook client
      await new Promise((resolve) => receiver.close(resolve));
    },
    () => sql?.end(),
    () => (database ? dropDatabases(DB_PREFIX) : undefined),
    () => (tmp ? fs.rmSync(tmp, { recursive: true, force: true }) : undefined),
  ];
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
});

test("a package created through A's API shows on B's desk page and B's SSE stream in < 1 s", async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/finished-goods");
  await expect(page.getByRole("heading", { level: 1, name: "Finished goods" })).toBeVisible();
  // Live = B's SSE stream is open (while live the page polls only every 30 s, so polling cannot pass this).
  await expect(page.getByTestId("connection-state")).toHaveText("Live");

  // A stream client of B too (API key), reading in the background.
  const stream = await fetch(`${url.b}/api/events/stream?type=finished_good.*`, withKey(apiKey));
  expect(stream.status).toBe(200);
  const streamed: { metrc: string; at: number }[] = [];
  const reader = stream.body!.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
        const data = buffer
          .slice(0, i)
          .split("\n")
          .find((l) => l.startsWith("data:"));
        buffer = buffer.slice(i + 2);
        if (data) streamed.push({ metrc: JSON.parse(data.slice(5))?.payload?.metrc_number, at: Date.now() });
      }
    }
  })();
  await sleep(300); // the stream has read its head

  const suffix = `${Date.now().toString(36)}${process.pid.toString(36)}`.toUpperCase();
  const strain = `Two Instances ${suffix}`;
  const metrc = `1A4E2E${suffix}`.slice(0, 24).padEnd(24, "0");
  const sent = Date.now();
  const res = await fetch(
    `${url.a}/api/finished-goods/`,
    withKey(apiKey, { method: "POST", body: JSON.stringify({ metrc_number: metrc, strain, grams: 250 }) }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  const committed = Date.now(); // A has answered: the write is committed

  await page.getByText(strain).first().waitFor({ state: "visible", timeout: 1_000 });
  const onPage = Date.now() - committed;
  await until(() => streamed.some((s) => s.metrc === metrc), 1_000, "B's stream carries the new package");
  const onStream = streamed.find((s) => s.metrc === metrc)!.at - committed; // < 0: before A's answer reached us
  console.log(
    `two-instances: A answered in ${committed - sent} ms; then B's page showed the package after ${onPage} ms, B's stream had it at ${onStream} ms`,
  );
  expect(onPage).toBeLessThan(1_000);
  expect(onStream).toBeLessThan(1_000);
  await sleep(200);
  expect(streamed.filter((s) => s.metrc === metrc)).toHaveLength(1); // Redis and B's own feed do not both send it
  await reader.cancel();
  await page.close();
  expect(errors).toEqual([]);
});

test("an API key revoked on A is refused (401) on B within 1 s", async () => {
  const created = await session(context.request, "post", `${url.a}/api/api-keys`, { name: "revoke-me", role: "viewer" });
  const probe = () => fetch(`${url.b}/api/finished-goods/`, withKey(created.api_key)).then((r) => r.status);
  expect(await probe()).toBe(200); // B has checked (and memoised) it
  await session(context.request, "delete", `${url.a}/api/api-keys/${created.key.id}`);
  const revoked = Date.now();
  await until(async () => (await probe()) === 401, 1_000, "B refuses the revoked key");
  const after = Date.now() - revoked;
  console.log(`two-instances: key revoked on A refused on B after ${after} ms`);
  expect(after).toBeLessThan(1_000);
});

test("events written through A: two workers deliver each webhook exactly once", async () => {
  test.setTimeout(60_000);
  const subscriberId = await createWebhook("two-instances once", "/once");
  const head = await newestEventId();
  const holders = sampleLeaseHolders(subscriberId);
  const t0 = Date.now();
  try {
    const { n: throughApi, p50, p95 } = await emitThroughA(DELIVERIES, EMIT_BUDGET_MS);
    await emitInBulk(DELIVERIES - throughApi);
    const n = DELIVERIES;
    const emitted = Date.now() - t0;
    const ids = await eventIdsAfter(head, n);
    await until(() => ids.every((id) => received.has(id)), 30_000, "every event delivered");
    const delivered = Date.now() - t0;
    await until(
      async () => (await deliveryRows(subscriberId)).every((r) => r.status === "completed"),
      5_000,
      "every delivery row completed",
    );
    await sleep(300); // a duplicate would arrive now
    const seen = await holders();
    console.log(
      `two-instances: ${n} events (${throughApi} through A's API, 12 requests at a time: p50 ${p50} ms, p95 ${p95} ms; the rest in bulk) written in ${emitted} ms, all delivered after ${delivered} ms; lease holders ${[...seen].join(", ")}`,
    );
    expect(throughApi).toBeGreaterThanOrEqual(MIN_THROUGH_API);
    // Both workers claimed (disjoint FOR UPDATE SKIP LOCKED claims), not one of them alone.
    expect([...seen].sort()).toEqual([workerId.w1, workerId.w2].sort());
    expect(ids.filter((id) => received.get(id) !== 1)).toEqual([]);
    expect(await deliveryRows(subscriberId)).toEqual([{ status: "completed", n, attempts: n }]);
  } finally {
    await holders();
  }
  // Later events stay with the next test's subscriber.
  await session(context.request, "patch", `${url.a}/api/admin/subscribers/${subscriberId}`, { active: false });
});

test("SIGKILL W1 mid-stream: W2 finishes its leases; only what W1 had in flight repeats", async () => {
  test.setTimeout(60_000);
  const subscriberId = await createWebhook("two-instances kill", "/kill");
  const head = await newestEventId();
  receiverDelayMs = 1_000; // slow answers: W1 dies with several attempts in flight (its leases are renewed meanwhile)
  try {
    const emitting = emitThroughA(MAX_KILL_DELIVERIES, KILL_EMIT_BUDGET_MS, 6);
    const w1Leases = async () =>
      (
        await sql.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM deliveries WHERE subscriber_id = $1 AND status = 'processing' AND locked_by = $2",
          [subscriberId, workerId.w1],
        )
      ).rows[0].n;
    await until(async () => (await w1Leases()) >= 3, 15_000, "W1 holds leases");
    w1.kill();
    const killed = Date.now();
    const orphaned = await w1Leases();
    expect(orphaned).toBeGreaterThan(0); // the dead worker's leases are left behind
    const { n } = await emitting;
    const ids = await eventIdsAfter(head, n);
    await until(() => ids.every((id) => received.has(id)), 30_000, "W2 delivered every event, W1's leases included");
    await until(
      async () => (await deliveryRows(subscriberId)).every((r) => r.status === "completed"),
      5_000,
      "every delivery row completed",
    );
    const finished = Date.now() - killed;
    await sleep(300);
    const repeated = ids.filter((id) => (received.get(id) ?? 0) > 1);
    console.log(
      `two-instances: W1 killed holding ${orphaned} leases; W2 finished all ${n} deliveries ${finished} ms later; ${repeated.length} arrived twice`,
    );
    // W1's leases (2 s) had to expire before W2 could take them.
    expect(finished).toBeGreaterThan(1_000);
    const rows = await deliveryRows(subscriberId);
    expect(rows.map((r) => [r.status, r.n])).toEqual([["completed", n]]);
    // At least once: a delivery W1 had in flight may arrive twice (sent, its completion never
    // written), nothing else; the rows count one attempt per claim.
    expect(repeated.length).toBeLessThanOrEqual(orphaned);
    expect(repeated.every((id) => received.get(id) === 2)).toBe(true);
    expect(rows[0].attempts - n).toBeLessThanOrEqual(orphaned);
  } finally {
    receiverDelayMs = 0;
  }
});

test("each scheduled job runs once per interval with two workers", async () => {
  test.setTimeout(40_000);
  // At least three housekeeping intervals since the override (the earlier tests usually took that long).
  const window = 3 * JOB_INTERVAL_S * 1000 + 1_500;
  await sleep(Math.max(0, jobsFrom.at + window - Date.now()));
  const elapsed = Date.now() - jobsFrom.at;
  // Every job.started since the workers came up, with the job's interval now (housekeeping's only
  // went down, 1 h → 10 s). Runs requested by events (stock alerts after the package) are left out.
  const { rows } = await sql.query<{ id: number; job: string; at: Date; interval_s: number }>(
    `SELECT e.id, j.name AS job, e.created_at AS at, j.interval_seconds AS interval_s
       FROM events e JOIN jobs j ON j.name = e.payload->>'job'
      WHERE e.type = 'job.started' AND e.payload->>'trigger' = 'scheduled' ORDER BY e.id`,
  );
  // (`inbox-watcher` is the inbox watcher's lease on the jobs table, not a scheduled job.)
  const { rows: jobs } = await sql.query<{ name: string }>("SELECT name FROM jobs WHERE name <> 'inbox-watcher' ORDER BY name");
  const byJob = new Map(jobs.map((j) => [j.name, rows.filter((r) => r.job === j.name)]));
  const gaps = (runs: typeof rows) => runs.slice(1).map((r, i) => r.at.getTime() - runs[i].at.getTime());
  console.log(
    `two-instances: scheduled runs per job ${[...byJob].map(([job, runs]) => `${job} ${runs.length}`).join(", ")}; ` +
      `housekeeping at ${JOB_INTERVAL_S} s: gaps ${gaps(byJob.get("housekeeping")!).join(", ")} ms over ${elapsed} ms`,
  );
  // Every registered job ran when the workers started, and none twice within its interval: each
  // claim moves next_run_at a whole interval on from the claimer's clock. The rows' times are when
  // the claiming transaction began, which on a busy machine trails that clock by up to a second or
  // so, hence the 2 s margin; a second worker running it too would start within ~1 s (ticks).
  expect(jobs.length).toBeGreaterThanOrEqual(6);
  for (const [job, runs] of byJob) {
    expect(runs.length, `${job} ran`).toBeGreaterThanOrEqual(1);
    for (const gap of gaps(runs)) expect(gap, `${job}: two runs within one interval`).toBeGreaterThan(runs[0].interval_s * 1000 - 2_000);
  }
  // Housekeeping at 10 s: as many runs as intervals passed, not fewer — the first is due within one
  // interval of the override, each next one an interval later (ticks are 1 s, so ≤ ~1 s late).
  const since = byJob.get("housekeeping")!.filter((r) => r.id > jobsFrom.eventId);
  expect(since.length).toBeLessThanOrEqual(Math.floor(elapsed / (JOB_INTERVAL_S * 1000)) + 1);
  expect(since.length).toBeGreaterThanOrEqual(Math.floor((elapsed - JOB_INTERVAL_S * 1000) / ((JOB_INTERVAL_S + 1) * 1000)) + 1);
});

/** The newest event id now (events after it are the test's own). */
async function newestEventId(): Promise<number> {
  const { rows } = await sql.query<{ id: number }>("SELECT coalesce(max(id), 0)::int AS id FROM events");
  return rows[0].id;
}

/** The ids of the `sync.requested` events after `head`; exactly `n` of them. */
async function eventIdsAfter(head: number, n: number): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>("SELECT id FROM events WHERE type = 'sync.requested' AND id > $1 ORDER BY id", [head]);
  expect(rows).toHaveLength(n);
  return rows.map((r) => r.id);
}
