import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { migrate } from "@/scripts/migrate.mjs";
import { watchEnvironment } from "@/lib/config/env";
import type { AttemptResult, ClaimedDelivery, DeliveryStore } from "@/lib/events/delivery/store/types";
import { TEST_POSTGRES_BASE, postgresReachable } from "@/tests/helpers/postgres";

/**
 * The PostgreSQL delivery store (lib/events/delivery/store/postgres/): the guarantees of the
 * SQLite store under concurrency (disjoint claims without waiting, ordered subscribers one at a
 * time, leases on the database clock, one relay per page), and the same rows written as the
 * SQLite store for the same inputs (each case runs on both).
 *
 * Self-contained: it creates and migrates its own PostgreSQL database (and a SQLite file for the
 * comparison) and drops them at the end. App modules are imported while DATABASE_URL names the
 * SQLite file (the app's Prisma client is created at import); the stores read DATABASE_URL at
 * each call, so `on(backend)` points them at one database or the other.
 */
const BASE = TEST_POSTGRES_BASE;

const available = await postgresReachable("PostgreSQL delivery store tests", BASE);

const dbName = `prt_delivery_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const pgUrl = BASE.replace(/\/[^/?]*(\?.*)?$/, `/${dbName}`);
const sqliteFile = path.join(os.tmpdir(), `${dbName}.db`);
const sqliteUrl = `file:${sqliteFile}`;

let admin: pg.Client;
let pgc: pg.Client;
let lite: Database.Database;
let sqliteStore: DeliveryStore;
let postgresStore: DeliveryStore;
let closePgStore: () => Promise<void>;
let claimIn: typeof import("@/lib/events/delivery/store/postgres/claim-due").claimIn;
let transaction: typeof import("@/lib/events/delivery/store/postgres/connection").transaction;
let pgStore: typeof import("@/lib/events/delivery/store/postgres/connection").pgStore;
let planRecord: typeof import("@/lib/events/delivery/worker").planRecord;

type Backend = "sqlite" | "postgres";
const on = (backend: Backend): DeliveryStore => {
  process.env.DATABASE_URL = backend === "sqlite" ? sqliteUrl : pgUrl;
  return backend === "sqlite" ? sqliteStore : postgresStore;
};

beforeAll(async () => {
  if (!available) return;
  admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await migrate({ databaseUrl: pgUrl, log: () => undefined });
  await migrate({ databaseUrl: sqliteUrl, log: () => undefined });
  pgc = new pg.Client({ connectionString: pgUrl, options: "-c timezone=UTC" });
  await pgc.connect();
  lite = new Database(sqliteFile);
  process.env.DATABASE_URL = sqliteUrl;
  watchEnvironment();
  delete (globalThis as { __prerollDb?: unknown }).__prerollDb;
  ({ sqliteDeliveryStore: sqliteStore } = await import("@/lib/events/delivery/store/sqlite"));
  ({ postgresDeliveryStore: postgresStore } = await import("@/lib/events/delivery/store/postgres"));
  ({ closePgStore, transaction, pgStore } = await import("@/lib/events/delivery/store/postgres/connection"));
  ({ claimIn } = await import("@/lib/events/delivery/store/postgres/claim-due"));
  ({ planRecord } = await import("@/lib/events/delivery/worker"));
});

afterAll(async () => {
  if (!available) return;
  await closePgStore?.().catch(() => undefined);
  await pgc?.end().catch(() => undefined);
  lite?.close();
  (await import("@/lib/events/delivery/store/sqlite/connection")).closeSqliteStore();
  for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) fs.rmSync(f, { force: true });
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

// Rows, written as each backend stores them ------------------------------------------------------

const T0 = new Date("2026-12-07T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const liteIso = (d: Date | null) => (d ? d.toISOString().replace("Z", "+00:00") : null);

interface DeliverySeed {
  id?: string;
  status?: string;
  next?: Date;
  lockedBy?: string | null;
  lockedUntil?: Date | null;
  attempts?: number;
}

const db = {
  async reset(b: Backend) {
    if (b === "postgres") await pgc.query("TRUNCATE delivery_attempts, deliveries, subscribers, events, cursors RESTART IDENTITY CASCADE");
    else
      lite.exec("DELETE FROM delivery_attempts; DELETE FROM deliveries; DELETE FROM subscribers; DELETE FROM events; DELETE FROM cursors;");
  },
  async subscriber(b: Backend, name: string, opts: { ordered?: boolean; active?: boolean; id?: string } = {}): Promise<string> {
    const id = opts.id ?? randomUUID();
    const v = [id, name, "*", "webhook", JSON.stringify({ url: "http://127.0.0.1:1/hook" }), opts.ordered ?? false, opts.active ?? true];
    if (b === "postgres")
      await pgc.query(
        `INSERT INTO subscribers (id, name, event_types, kind, config, ordered, active, max_attempts, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 8, $8, $8)`,
        [...v, T0.toISOString()],
      );
    else
      lite
        .prepare(
          `INSERT INTO subscribers (id, name, event_types, kind, config, ordered, active, max_attempts, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 8, ?, ?)`,
        )
        .run(...v.map((x) => (typeof x === "boolean" ? Number(x) : x)), liteIso(T0), liteIso(T0));
    return id;
  },
  async events(b: Backend, n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const created = at(i);
      const payload = JSON.stringify({ n: i });
      if (b === "postgres") {
        // As mutate does: the write lock first, marked held, so the events trigger keeps the
        // sequence's id (ids 1, 2, 3 … as on SQLite) instead of drawing another.
        await pgc.query("BEGIN");
        await pgc.query("SELECT pg_advisory_xact_lock(1347572785), set_config('preroll.events_write_lock', 'held', true)");
        const res = await pgc.query(
          `INSERT INTO events (type, payload, actor, trace_id, source, created_at) VALUES ('test.thing', $1::jsonb, 'test', 't', 'test', $2::timestamptz AT TIME ZONE 'UTC') RETURNING id`,
          [payload, created.toISOString()],
        );
        await pgc.query("COMMIT");
        ids.push(res.rows[0].id as number);
      } else
        ids.push(
          Number(
            lite
              .prepare(
                `INSERT INTO events (type, payload, actor, trace_id, source, created_at) VALUES ('test.thing', ?, 'test', 't', 'test', ?)`,
              )
              .run(payload, liteIso(created)).lastInsertRowid,
          ),
        );
    }
    return ids;
  },
  async delivery(b: Backend, eventId: number, subscriberId: string, s: DeliverySeed = {}): Promise<string> {
    const id = s.id ?? randomUUID();
    const v = [id, eventId, subscriberId, s.status ?? "pending", s.attempts ?? 0, s.next ?? T0, s.lockedBy ?? null, s.lockedUntil ?? null];
    if (b === "postgres")
      await pgc.query(
        `INSERT INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, locked_by, locked_until, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC', $7, $8::timestamptz AT TIME ZONE 'UTC', $9::timestamptz AT TIME ZONE 'UTC', $9::timestamptz AT TIME ZONE 'UTC')`,
        [...v.map((x) => (x instanceof Date ? x.toISOString() : x)), T0.toISOString()],
      );
    else
      lite
        .prepare(
          `INSERT INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, locked_by, locked_until, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...v.map((x) => (x instanceof Date ? liteIso(x) : x)), liteIso(T0), liteIso(T0));
    return id;
  },
  /** Rows as plain values (dates as ISO text, booleans as booleans), without `updated_at` and generated ids. */
  async dump(b: Backend) {
    const q = async (sql: string) =>
      (b === "postgres" ? (await pgc.query(sql)).rows : lite.prepare(sql).all()) as Record<string, unknown>[];
    const norm = (rows: Record<string, unknown>[], dates: string[], bools: string[] = []) =>
      rows.map((r) => {
        const out: Record<string, unknown> = { ...r };
        for (const k of dates) out[k] = r[k] === null ? null : new Date(r[k] as string | Date).toISOString();
        for (const k of bools) out[k] = Boolean(r[k]);
        return out;
      });
    return {
      deliveries: norm(
        await q(
          "SELECT id, event_id, subscriber_id, status, attempts, next_attempt_at, locked_until, locked_by, last_error, last_status_code, completed_at FROM deliveries ORDER BY event_id, subscriber_id",
        ),
        ["next_attempt_at", "locked_until", "completed_at"],
      ),
      attempts: norm(
        await q(
          `SELECT id, delivery_id, attempt_number, "trigger", url, started_at, duration_ms, status_code, response_excerpt, error, next_attempt_at FROM delivery_attempts ORDER BY id`,
        ),
        ["started_at", "next_attempt_at"],
      ),
      subscribers: norm(await q("SELECT id, active, failing_since FROM subscribers ORDER BY id"), ["failing_since"], ["active"]),
      cursors: await q("SELECT name, position FROM cursors ORDER BY name"),
    };
  },
};

/** An attempt's result as the worker builds it (worker.ts `attemptDelivery`), without running a handler. */
function result(
  job: ClaimedDelivery,
  outcome: { code?: number; ok?: boolean; error?: string; dead?: boolean; retryInMs?: number },
  finishedMs: number,
): AttemptResult {
  const ok = outcome.ok ?? false;
  const startedAt = at(finishedMs - 40);
  return {
    job,
    result: ok
      ? { ok: true, statusCode: outcome.code ?? 200, url: "http://127.0.0.1:1/hook", responseExcerpt: "ok" }
      : { ok: false, statusCode: outcome.code, url: "http://127.0.0.1:1/hook", error: outcome.error ?? "HTTP 500" },
    attempt: job.delivery.attempts + 1,
    startedAt,
    finishedAt: at(finishedMs),
    durationMs: 40,
    status: ok ? "completed" : outcome.dead ? "dead" : "failed",
    nextAttemptAt: ok || outcome.dead ? null : at(finishedMs + (outcome.retryInMs ?? 60_000)),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The same inputs on both stores ---------------------------------------------------------------------

describe.skipIf(!available)("PostgreSQL delivery store: the same rows as the SQLite store", () => {
  const d = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;
  /** One scenario on one backend; returns what the steps answered and the rows they left. */
  async function scenario(b: Backend) {
    await db.reset(b);
    const store = on(b);
    const A = await db.subscriber(b, "a", { id: "00000000-0000-4000-8000-00000000000a" });
    const O = await db.subscriber(b, "o", { id: "00000000-0000-4000-8000-00000000000b", ordered: true });
    const P = await db.subscriber(b, "paused", { id: "00000000-0000-4000-8000-00000000000c", active: false });
    const ev = await db.events(b, 6);
    await db.delivery(b, ev[0], A, { id: d(1), next: at(0) });
    await db.delivery(b, ev[1], A, { id: d(2), next: at(1), lockedBy: "manual" });
    await db.delivery(b, ev[2], A, { id: d(3), status: "failed", next: at(500), attempts: 2 });
    await db.delivery(b, ev[3], A, { id: d(4), status: "processing", lockedBy: "crashed", lockedUntil: at(100), attempts: 1 });
    await db.delivery(b, ev[4], A, { id: d(5), next: at(50_000) }); // not due yet
    await db.delivery(b, ev[0], O, { id: d(6), status: "failed", next: at(200), attempts: 1 });
    await db.delivery(b, ev[1], O, { id: d(7), next: at(1) }); // behind its head
    await db.delivery(b, ev[0], P, { id: d(8), next: at(0) }); // paused subscriber
    await db.delivery(b, ev[5], A, { id: d(9), next: at(5), status: "pending" });

    const now = at(1000);
    const jobs = await store.claimDue({ workerId: "w1", now, leaseMs: 30_000, limit: 10 });
    const claims = jobs.map((j) => ({ ...j.claim, event: j.event.id, sub: j.subscriber.name, attempts: j.delivery.attempts }));
    // A lease lost: another worker takes d(9) over before w1 records it.
    if (b === "postgres") await pgc.query(`UPDATE deliveries SET locked_by = 'w2' WHERE id = $1`, [d(9)]);
    else lite.prepare(`UPDATE deliveries SET locked_by = 'w2' WHERE id = ?`).run(d(9));
    const byId = new Map(jobs.map((j) => [j.delivery.id, j]));
    const results = [
      result(byId.get(d(1))!, { ok: true, code: 200 }, 1100),
      result(byId.get(d(2))!, { ok: true, code: 204 }, 1200),
      result(byId.get(d(3))!, { code: 503, error: "HTTP 503" }, 1300),
      result(byId.get(d(4))!, { ok: true, code: 200 }, 1400),
      result(byId.get(d(6))!, { error: "connect ECONNREFUSED", retryInMs: 5000 }, 1500),
      result(byId.get(d(9))!, { ok: true, code: 200 }, 1600),
    ];
    const renewed = await store.renewLeases([d(1), d(9)], "w1", new Date(Date.now() + 60_000));
    const recorded = await store.recordAttempts(results, "w1", planRecord);
    const outcomes = results.map((r) => [r.job.delivery.id, recorded.outcomes.get(r)]);
    const failingAfterFirstRecord = (await db.dump(b)).subscribers
      .filter((s) => s.failing_since !== null)
      .map((s) => (s.id === O ? "o" : s.id));
    // The ordered subscriber's next delivery is due only once its head is no longer unfinished.
    const next = await store.claimDue({ workerId: "w3", now: at(10_000), leaseMs: 30_000, limit: 10 });
    const released = await store.releaseClaims(
      next.map((j) => j.claim),
      "w3",
    );
    const relay = await store.relayPage("test-relay", 4, (e, subs) =>
      subs.filter((s) => e.id % 2 === 1 || s.name === "o").map((s) => s.id),
    );
    const relay2 = await store.relayPage("test-relay", 4, (e, subs) => subs.map((s) => s.id));
    const relay3 = await store.relayPage("test-relay", 4, (e, subs) => subs.map((s) => s.id));
    // A batch of successes only (on PostgreSQL one statement, record-attempts.ts): it ends the
    // ordered subscriber's failing streak, and a lease lost meanwhile still keeps its note.
    const retried = await store.claimDue({ workerId: "w4", now: at(70_000), leaseMs: 30_000, limit: 10 });
    const stolen = retried.find((j) => j.delivery.id === d(5))!;
    if (b === "postgres") await pgc.query(`UPDATE deliveries SET locked_by = 'w5' WHERE id = $1`, [stolen.delivery.id]);
    else lite.prepare(`UPDATE deliveries SET locked_by = 'w5' WHERE id = ?`).run(stolen.delivery.id);
    const successes = retried.map((j, i) => result(j, { ok: true, code: 200 }, 11_000 + i));
    const recordedSuccesses = await store.recordAttempts(successes, "w4", planRecord);
    return {
      failingAfterFirstRecord,
      successes: successes.map((r) => [r.job.delivery.id, r.job.subscriber.name, recordedSuccesses.outcomes.get(r)]),
      claims,
      outcomes,
      deferred: recorded.deferred.length,
      renewed,
      next: next.map((j) => [j.delivery.id, j.claim.trigger, j.claim.previous]),
      released,
      relay: [relay, relay2, relay3].map((r) => ({ events: r.events.map((e) => e.id), deliveries: r.deliveries, position: r.position })),
      rows: await db.dump(b),
    };
  }

  it("claims, records, renews, releases and relays alike", async () => {
    const lite = await scenario("sqlite");
    const pgs = await scenario("postgres");
    // Claims: by due time (an expired lease by its `locked_until`); the ordered subscriber's head only; no paused, no future.
    expect(lite.claims.map((c) => c.id.slice(-2))).toEqual(["01", "02", "09", "04", "06", "03"]);
    expect(pgs.claims).toEqual(lite.claims);
    expect(pgs.outcomes).toEqual(lite.outcomes);
    expect(lite.outcomes.map((o) => o[1])).toEqual(["completed", "completed", "failed", "completed", "failed", "lease_lost"]);
    expect(pgs.deferred).toBe(lite.deferred);
    expect([lite.renewed, pgs.renewed]).toEqual([1, 1]); // d1 still w1's, d9 taken over
    expect(pgs.next).toEqual(lite.next);
    expect(pgs.released).toBe(lite.released);
    expect(pgs.relay).toEqual(lite.relay);
    expect(lite.rows.attempts).toHaveLength(6 + lite.successes.length);
    expect(lite.rows.attempts.filter((a) => a.error === "lease lost before the result was recorded")).toHaveLength(2);
    // The successes (by due time): the ordered head retried, an expired lease, one taken over, a retry.
    expect(lite.successes).toEqual([
      [d(6), "o", "completed"],
      [d(9), "a", "completed"],
      [d(5), "a", "lease_lost"],
      [d(3), "a", "completed"],
    ]);
    expect(pgs.successes).toEqual(lite.successes);
    // "o" was failing (its head failed in the first record); its success ended the streak.
    expect(lite.failingAfterFirstRecord).toEqual(["o"]);
    expect(pgs.failingAfterFirstRecord).toEqual(["o"]);
    expect(lite.rows.subscribers.filter((s) => s.failing_since !== null)).toEqual([]);
    expect(lite.relay.map((r) => r.events.length)).toEqual([4, 2, 0]);
    expect(pgs.rows.attempts).toEqual(lite.rows.attempts);
    expect(pgs.rows.subscribers).toEqual(lite.rows.subscribers);
    expect(pgs.rows.cursors).toEqual(lite.rows.cursors);
    // Deliveries the relay created have fresh ids on each side: compare everything else.
    const strip = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, id: String(r.id).startsWith("00000000-") ? r.id : "new" }));
    expect(strip(pgs.rows.deliveries)).toEqual(strip(lite.rows.deliveries));
    expect(pgs.rows.deliveries.length).toBeGreaterThan(9);
  });
});

// PostgreSQL under concurrency ------------------------------------------------------------------------

describe.skipIf(!available)("PostgreSQL delivery store under concurrency", () => {
  let store: DeliveryStore;
  beforeEach(async () => {
    await db.reset("postgres");
    store = on("postgres");
  });

  /** Holds a claim's transaction open (its row locks and try-locks) until `release` is called. */
  function holdClaim(workerId: string, limit: number) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimed!: (jobs: ClaimedDelivery[]) => void;
    const jobs = new Promise<ClaimedDelivery[]>((resolve) => (claimed = resolve));
    const done = transaction(async (c) => {
      const got = await claimIn(c, { workerId, limit, leaseMs: 30_000 });
      claimed(got);
      await gate;
      return got;
    });
    return { jobs, release, done };
  }

  it("two concurrent claimers get disjoint batches covering every due delivery, without waiting", async () => {
    const [a, b] = [await db.subscriber("postgres", "a"), await db.subscriber("postgres", "b")];
    const ev = await db.events("postgres", 15);
    for (const e of ev) for (const s of [a, b]) await db.delivery("postgres", e, s, { next: at(e) });
    const first = holdClaim("w1", 20);
    const one = await first.jobs;
    // w1's transaction is still open: w2 neither waits for it nor gets its rows.
    const two = await Promise.race([store.claimDue({ workerId: "w2", limit: 20 }), sleep(5000).then(() => "waited" as const)]);
    first.release();
    await first.done;
    expect(two).not.toBe("waited");
    const ids1 = one.map((j) => j.delivery.id);
    const ids2 = (two as ClaimedDelivery[]).map((j) => j.delivery.id);
    expect(ids1).toHaveLength(20);
    expect(ids2).toHaveLength(10);
    expect(ids1.filter((id) => ids2.includes(id))).toEqual([]);
    const all = (await pgc.query("SELECT id, locked_by FROM deliveries")).rows as { id: string; locked_by: string }[];
    expect(new Set([...ids1, ...ids2])).toEqual(new Set(all.map((r) => r.id)));
    for (const r of all) expect(r.locked_by).toBe(ids1.includes(r.id) ? "w1" : "w2");
    // Oldest first within a batch.
    expect(one.map((j) => j.event.id)).toEqual([...one.map((j) => j.event.id)].sort((x, y) => x - y));
  });

  it("many claimers at once never win the same row", async () => {
    const s = await db.subscriber("postgres", "a");
    for (const e of await db.events("postgres", 60)) await db.delivery("postgres", e, s, { next: at(0) });
    const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimDue({ workerId: `w${i}`, limit: 10 })));
    const ids = batches.flat().map((j) => j.delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    // What was left (claimers that found every due row locked) is claimed by the next look.
    const rest = await store.claimDue({ workerId: "late", limit: 100 });
    expect(ids.length + rest.length).toBe(60);
  });

  it("an ordered subscriber's deliveries go to one claimer, oldest first, the next only after the first is recorded", async () => {
    const o = await db.subscriber("postgres", "o", { ordered: true });
    const ev = await db.events("postgres", 3);
    const ids = [];
    for (const e of ev) ids.push(await db.delivery("postgres", e, o, { next: at(e) }));
    const first = holdClaim("w1", 10);
    const one = await first.jobs;
    expect(one.map((j) => j.delivery.id)).toEqual([ids[0]]);
    // While w1 holds the subscriber, w2 gets nothing of it (and does not skip ahead to the second).
    expect(await store.claimDue({ workerId: "w2", limit: 10 })).toEqual([]);
    first.release();
    await first.done;
    // Claimed but unrecorded: still nothing for anyone.
    const again = await Promise.all([store.claimDue({ workerId: "w2", limit: 10 }), store.claimDue({ workerId: "w3", limit: 10 })]);
    expect(again.flat()).toEqual([]);
    await store.recordAttempts([result(one[0], { ok: true }, 10)], "w1", planRecord);
    const [x, y] = await Promise.all([store.claimDue({ workerId: "w2", limit: 10 }), store.claimDue({ workerId: "w3", limit: 10 })]);
    expect([...x, ...y].map((j) => j.delivery.id)).toEqual([ids[1]]);
    // Record and claim in one transaction: the claim sees its own record and takes the third.
    const winner = x.length > 0 ? "w2" : "w3";
    const job = [...x, ...y][0];
    const r = await store.recordAndClaim([result(job, { ok: true }, 20)], winner, planRecord, { workerId: winner, limit: 10 });
    expect(r.jobs.map((j) => j.delivery.id)).toEqual([ids[2]]);
  });

  it("leases run on the database clock: an expired one is claimable again, renewLeases extends only the caller's", async () => {
    const s = await db.subscriber("postgres", "a");
    const ev = await db.events("postgres", 3);
    for (const e of ev) await db.delivery("postgres", e, s, { next: at(0) });
    const mine = await store.claimDue({ workerId: "w1", limit: 2, leaseMs: 300 });
    const theirs = await store.claimDue({ workerId: "w2", limit: 2, leaseMs: 60_000 });
    expect(mine).toHaveLength(2);
    expect(theirs).toHaveLength(1);
    const lease = async (id: string) =>
      Number(
        (
          await pgc.query(
            `SELECT extract(epoch FROM locked_until - (now() AT TIME ZONE 'UTC')) * 1000 AS ms FROM deliveries WHERE id = $1`,
            [id],
          )
        ).rows[0].ms,
      );
    const ms = await lease(mine[0].delivery.id);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(300);
    // Not yet expired: nobody else gets it.
    expect(await store.claimDue({ workerId: "w3", limit: 10 })).toEqual([]);
    await sleep(350);
    // Expired leases are looked for only on full looks (`retries`), as on SQLite.
    expect(await store.claimDue({ workerId: "w3", limit: 10, retries: false })).toEqual([]);
    const taken = await store.claimDue({ workerId: "w3", limit: 10 });
    expect(taken.map((j) => j.delivery.id).sort()).toEqual(mine.map((j) => j.delivery.id).sort());
    expect(taken.every((j) => j.claim.previous?.status === "processing" && j.claim.previous.lockedBy === "w1")).toBe(true);
    // w1 lost both; w2 renews its own only, and w2's name on w3's rows changes nothing.
    const theirId = theirs[0].delivery.id;
    const all = [...mine, ...theirs].map((j) => j.delivery.id);
    expect(await store.renewLeases(all, "w1", new Date(Date.now() + 600_000))).toBe(0);
    expect(await store.renewLeases(all, "w2", new Date(Date.now() + 600_000))).toBe(1);
    expect(await lease(theirId)).toBeGreaterThan(590_000);
    expect(await lease(taken[0].delivery.id)).toBeLessThanOrEqual(30_000 + 1000);
    // The recorded attempt of a lost lease is kept with a note; the row stays w3's.
    const rec = await store.recordAttempts([result(mine[0], { ok: true }, 0)], "w1", planRecord);
    expect([...rec.outcomes.values()]).toEqual(["lease_lost"]);
    const row = (await pgc.query("SELECT status, locked_by FROM deliveries WHERE id = $1", [mine[0].delivery.id])).rows[0];
    expect(row).toEqual({ status: "processing", locked_by: "w3" });
    // Released claims go back as they were (a taken-over lease as failed, due again).
    expect(
      await store.releaseClaims(
        taken.map((j) => j.claim),
        "w3",
      ),
    ).toBe(2);
    const back = (
      await pgc.query("SELECT DISTINCT status, locked_by FROM deliveries WHERE id = ANY($1)", [taken.map((j) => j.delivery.id)])
    ).rows;
    expect(back).toEqual([{ status: "failed", locked_by: null }]);
  });

  it("two relays fan every event out exactly once and advance the cursor once per page", async () => {
    const subs = [await db.subscriber("postgres", "a"), await db.subscriber("postgres", "b")];
    const ev = await db.events("postgres", 120);
    const seen: number[][] = [[], []];
    const relay = async (k: number) => {
      for (let i = 0; i < 100; i++) {
        const page = await store.relayPage("relay", 7, (_e, ss) => ss.map((s) => s.id));
        seen[k].push(...page.events.map((e) => e.id));
        if (page.events.length === 0) return;
      }
    };
    await Promise.all([relay(0), relay(1)]);
    const all = [...seen[0], ...seen[1]].sort((x, y) => x - y);
    expect(all).toEqual(ev);
    const counts = (await pgc.query("SELECT count(*)::int AS n, count(DISTINCT (event_id, subscriber_id))::int AS pairs FROM deliveries"))
      .rows[0];
    expect(counts).toEqual({ n: ev.length * subs.length, pairs: ev.length * subs.length });
    const cursor = (await pgc.query("SELECT position FROM cursors WHERE name = 'relay'")).rows[0];
    expect(cursor.position).toBe(ev[ev.length - 1]);
    // New deliveries are due when their event was created.
    const due = (
      await pgc.query(
        "SELECT count(*)::int AS n FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.next_attempt_at <> e.created_at",
      )
    ).rows[0];
    expect(due.n).toBe(0);
  });

  it("a relay that loses its page to another relay writes nothing, then relays the next page", async () => {
    await db.subscriber("postgres", "a");
    const ev = await db.events("postgres", 6);
    const all = (_e: unknown, subs: { id: string }[]) => subs.map((x) => x.id);
    // Relay 1 has read the first page; before it writes, relay 2 relays that same page.
    const pool = pgStore().pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    let second: Promise<Awaited<ReturnType<DeliveryStore["relayPage"]>>> | null = null;
    const spy = vi.spyOn(pool, "query").mockImplementation((async (...args: unknown[]) => {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text;
      if (second === null && text.startsWith("WITH advanced")) await (second = store.relayPage("relay", 3, all));
      return query(...args);
    }) as never);
    const first = await store.relayPage("relay", 3, all);
    spy.mockRestore();
    expect((await second!).events.map((e) => e.id)).toEqual(ev.slice(0, 3));
    expect(first.events.map((e) => e.id)).toEqual(ev.slice(3));
    const rows = (await pgc.query("SELECT event_id FROM deliveries ORDER BY event_id")).rows.map((r) => r.event_id as number);
    expect(rows).toEqual(ev);
    expect((await pgc.query("SELECT position FROM cursors WHERE name = 'relay'")).rows[0].position).toBe(ev[5]);
  });

  it("costs few round trips: an idle look is one statement, a busy relay page two, a batch of successes one", async () => {
    await db.subscriber("postgres", "a");
    // Every statement the store sends, on any of its pool's connections (this test's own client
    // sends nothing while counting).
    const queries = vi.spyOn(pg.Client.prototype, "query");
    const trips = () => {
      const n = queries.mock.calls.length;
      queries.mockClear();
      return n;
    };
    const all = (_e: unknown, subs: { id: string }[]) => subs.map((x) => x.id);
    expect((await store.relayPage("relay", 10, all)).events).toEqual([]);
    expect(trips()).toBe(1);
    await db.events("postgres", 5);
    trips();
    const page = await store.relayPage("relay", 10, all, { workerId: "w1", leaseMs: 30_000, limit: 10 });
    expect(page.jobs).toHaveLength(5);
    expect(trips()).toBe(2);
    const recorded = await store.recordAttempts(
      page.jobs.map((j, i) => result(j, { ok: true }, i)),
      "w1",
      planRecord,
    );
    expect([...recorded.outcomes.values()]).toEqual(Array(5).fill("completed"));
    expect(trips()).toBe(1);
    queries.mockRestore();
    const done = (await pgc.query("SELECT count(*)::int AS n FROM deliveries WHERE status = 'completed'")).rows[0].n;
    expect(done).toBe(5);
  });
});
