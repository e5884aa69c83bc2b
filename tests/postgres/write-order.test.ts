import { afterAll, afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import { databaseUrl, db } from "@/lib/db/client";
import { mutate, setWriteLockEnabledForTests, WRITE_LOCK_KEY } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { readFeed } from "@/lib/events/feed";
import { ApiError } from "@/lib/http/errors";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { listBatches } from "@/lib/domain/batches/list-batches";
import { buildBatch } from "@/prisma/seed/batch";

/**
 * The gap test (issue [12], first version): on PostgreSQL's READ COMMITTED a transaction that
 * drew event id N can commit after one that drew N+1, and a feed cursor that moved to N+1 then
 * skips N for ever. `mutate`'s advisory write lock (and the events trigger behind it) must make
 * the feed see every event, in id order, once — and without them the same scenario must skip.
 */

const ctx = () => systemContext("write-order-test");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection to this file's database, for what must bypass the app (DDL, a held lock). */
async function raw(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  return client;
}

async function setTrigger(enabled: boolean): Promise<void> {
  const client = await raw();
  try {
    await client.query(`ALTER TABLE events ${enabled ? "ENABLE" : "DISABLE"} TRIGGER events_write_order`);
  } finally {
    await client.end();
  }
}

/** A feed poller as a consumer runs it: cursor = the last `lastEventId`. */
async function feedPoller() {
  const head = (await db.event.aggregate({ _max: { id: true } }))._max.id ?? 0;
  let cursor = head;
  const seen: number[] = [];
  return {
    seen,
    async poll() {
      for (;;) {
        const page = await readFeed({ after: cursor, limit: 100 });
        seen.push(...page.events.map((e) => e.id));
        cursor = page.lastEventId;
        if (!page.hasMore) return;
      }
    },
  };
}

/**
 * Transaction 1 emits, then waits on a barrier; transaction 2 emits and (if nothing stops it)
 * commits; the poller reads; the barrier opens; the poller reads again.
 */
async function overlappingWrites() {
  const poller = await feedPoller();
  let emitted!: (id: number) => void;
  const firstEmitted = new Promise<number>((resolve) => (emitted = resolve));
  let open!: () => void;
  const barrier = new Promise<void>((resolve) => (open = resolve));

  const first = mutate(ctx(), async (m) => {
    const e = await m.emit("setting.updated", { key: "first" });
    emitted(e.id);
    await barrier;
    return e.id;
  });
  await firstEmitted;
  const second = mutate(ctx(), async (m) => (await m.emit("setting.updated", { key: "second" })).id);
  const secondCommittedWhileFirstOpen = await Promise.race([second.then(() => true), sleep(400).then(() => false)]);
  await poller.poll();
  const seenWhileFirstOpen = [...poller.seen];
  open();
  const [firstId, secondId] = await Promise.all([first, second]);
  await poller.poll();
  await poller.poll();
  return { firstId, secondId, secondCommittedWhileFirstOpen, seenWhileFirstOpen, seen: poller.seen };
}

afterEach(() => setWriteLockEnabledForTests(true));
afterAll(() => db.$disconnect());

describe("PostgreSQL write order (gap test)", () => {
  it("with the write lock the feed sees both overlapping events, in id order, exactly once", async () => {
    const r = await overlappingWrites();
    // The second writer waited for the first: it could not commit while the first was open.
    expect(r.secondCommittedWhileFirstOpen).toBe(false);
    expect(r.seenWhileFirstOpen).toEqual([]);
    expect(r.firstId).toBeLessThan(r.secondId);
    expect(r.seen).toEqual([r.firstId, r.secondId]);
  });

  it("negative control: without the lock (and trigger) the cursor skips the first event for ever", async () => {
    setWriteLockEnabledForTests(false);
    await setTrigger(false);
    try {
      const r = await overlappingWrites();
      expect(r.secondCommittedWhileFirstOpen).toBe(true);
      expect(r.firstId).toBeLessThan(r.secondId);
      expect(r.seenWhileFirstOpen).toEqual([r.secondId]);
      expect(r.seen).toEqual([r.secondId]); // r.firstId committed, but below the cursor: skipped
      expect(await db.event.count({ where: { id: { in: [r.firstId, r.secondId] } } })).toBe(2);
    } finally {
      await setTrigger(true);
    }
  });

  it("the events trigger alone (mutate's lock off) keeps the order: a bypassing writer serialises too", async () => {
    setWriteLockEnabledForTests(false);
    const r = await overlappingWrites();
    expect(r.secondCommittedWhileFirstOpen).toBe(false);
    expect(r.firstId).toBeLessThan(r.secondId);
    expect(r.seen).toEqual([r.firstId, r.secondId]);
  });

  it("a raw INSERT outside mutate waits for the lock and draws its id under it", async () => {
    const poller = await feedPoller();
    const a = await raw();
    const b = await raw();
    try {
      await a.query("BEGIN");
      const inserted = await a.query<{ id: number }>(
        "INSERT INTO events (type, payload, actor, trace_id, source) VALUES ('setting.updated', '{\"key\":\"raw\"}', 'raw', 't', 'cli') RETURNING id",
      );
      await b.query("BEGIN");
      await b.query("SET LOCAL lock_timeout = '200ms'");
      await expect(
        b.query("INSERT INTO events (type, payload, actor, trace_id, source) VALUES ('setting.updated', '{}', 'raw', 't', 'cli')"),
      ).rejects.toMatchObject({ code: "55P03" });
      await b.query("ROLLBACK");
      await a.query("COMMIT");
      await poller.poll();
      expect(poller.seen).toEqual([inserted.rows[0].id]);
    } finally {
      await a.end();
      await b.end();
    }
  });
});

describe("mutate on PostgreSQL", () => {
  it("round trip: a batch created through the domain reads back through the domain", async () => {
    const created = await createBatch(ctx(), buildBatch({ strain: "Postgres Kush", bay_number: "P1" }));
    const { batches } = await listBatches({ archived: false, includeHistory: true });
    const found = batches.find((b) => b.id === created.id);
    expect(found).toMatchObject({ id: created.id, strain: "Postgres Kush", bay_number: "P1" });
    const event = await db.event.findFirst({ where: { type: "batch.created" }, orderBy: { id: "desc" } });
    expect(event?.payload).toMatchObject({ batch_id: created.id, strain: "Postgres Kush" });
    // DateTime round-trips as the same instant (sessions run in UTC).
    expect((await db.batch.findUniqueOrThrow({ where: { id: created.id } })).created_at.getTime()).toBe(created.created_at.getTime());
  });

  it("a writer that cannot get the lock in time gets a 503 with Retry-After, and nothing is written", async () => {
    const holder = await raw();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock($1)", [WRITE_LOCK_KEY]);
      const before = await db.event.count();
      const started = Date.now();
      const err = await mutate(ctx(), (m) => m.emit("setting.updated", { key: "blocked" }), db, { lockTimeoutMs: 300 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      const apiError = err as ApiError;
      expect(apiError.status).toBe(503);
      expect(apiError.code).toBe("write_lock_timeout");
      expect(Number(apiError.headers?.["Retry-After"])).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await db.event.count()).toBe(before);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
  });
});
