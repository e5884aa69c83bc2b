import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPrismaClient, db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { memoByDataVersion, setEventDrivenInvalidation } from "@/lib/db/data-version";
import { pgChangesState } from "@/lib/db/pg-changes";
import { bus, buildEnvelope, EventBus, type BusEnvelope } from "@/lib/events/bus";
import { toEnvelope } from "@/lib/events/outbox";
import { startEventBus, eventBusStatus, publishRelayedEvents, type EventBusHandle } from "@/lib/events/start";
import { relayAll } from "@/lib/events/relay";
import { handlerFor } from "@/lib/events/delivery/handlers";
import { cachedJsonResponse } from "@/lib/http/cached-json";
import { openEventStreamCount } from "@/lib/events/sse";
import { feedDb } from "@/lib/events/feed";
import type { Subscriber } from "@/lib/generated/prisma/client";
import { createPrincipals } from "@/tests/helpers/principals";
import { openSse } from "@/tests/helpers/sse-client";

/**
 * The process's event bus wiring (lib/events/start.ts): committed events reach the bus once and
 * only after commit; no Redis unless configured; built-in cache invalidation by events; the SSE
 * stream woken by the bus. The fan-out between processes is in redis-fanout.test.ts.
 */

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL!);
const other = createPrismaClient(); // another connection: its commits reach no in-process listener
let runtime: EventBusHandle;
let headers: Record<string, string>;

beforeAll(async () => {
  runtime = startEventBus({ process: "web", redisUrl: null });
  headers = (await createPrincipals()).headers.viewer;
});
afterAll(async () => {
  await runtime.stop();
  await other.$disconnect();
});

const ping = (message: string) => mutate(systemContext("wiring-test"), (m) => m.emit("test.ping", { message }));
const pings = (message: string) => bus.history({ type: "test.ping" }).filter((e) => (e.payload as { message: string }).message === message);

describe("startEventBus", () => {
  it("publishes an event committed with mutate() on the process bus exactly once, after the commit", async () => {
    const seenCommitted: Promise<unknown>[] = [];
    const sub = bus.subscribe("test.ping", (e) => {
      // Read through another connection: the row must already be committed when the bus hears of it.
      seenCommitted.push(other.event.findUnique({ where: { id: e.id } }));
    });
    try {
      expect(startEventBus({ process: "web", redisUrl: null })).toBe(runtime); // a second call changes nothing
      const envelope = await ping("once");
      expect(pings("once")).toEqual([envelope]);
      expect(await Promise.all(seenCommitted)).toEqual([expect.objectContaining({ id: envelope.id, type: "test.ping" })]);
    } finally {
      bus.unsubscribe(sub);
    }
  });

  it("puts events committed by another process on this bus when the relay reads them, once, never twice", async () => {
    await relayAll(); // the cursor past everything so far
    // Committed through another connection (as the web process would): no in-process listener hears it.
    const foreign = await other.event.create({
      data: { type: "test.ping", payload: { message: "from another process" }, actor: "web", trace_id: "t-foreign", source: "web" },
    });
    expect(pings("from another process")).toEqual([]);
    const local = await ping("committed here");
    const relayed = await relayAll(db, 50, { onRelayed: publishRelayedEvents });
    expect(relayed.events).toBeGreaterThanOrEqual(2);
    expect(pings("from another process").map((e) => e.id)).toEqual([foreign.id]);
    // Committed in this process: already published after its commit, not again by the relay.
    expect(pings("committed here").map((e) => e.id)).toEqual([local.id]);
    // A second read of the same page (cursor moved back) publishes nothing again.
    expect(runtime.publishRelayed([toEnvelope(foreign)])).toBe(0);
    expect(pings("from another process")).toHaveLength(1);
  });

  it("does not publish the events of a rolled-back mutation", async () => {
    const published = bus.stats().events_published;
    await expect(
      mutate(systemContext("wiring-test"), async (m) => {
        await m.emit("test.ping", { message: "rolled back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(pings("rolled back")).toEqual([]);
    expect(await db.event.count({ where: { type: "test.ping", payload: { equals: { message: "rolled back" } } } })).toBe(0);
    expect(bus.stats().events_published).toBe(published);
  });

  it("connects to nothing without REDIS_URL (or with redisUrl: null)", async () => {
    const saved = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    const ownBus = new EventBus();
    const handle = startEventBus({ bus: ownBus });
    try {
      expect(handle.status()).toEqual({
        process: "web",
        outbox: true,
        cache_invalidation: true,
        redis: { state: "off", failed_attempts: 0, last_error: null, fanout: null },
      });
      await expect(handle.redisReady(10)).resolves.toBe(true);
      expect(ownBus.subscriptionDetails().map((s) => s.name)).toEqual(["seen-event-ids", "cache-invalidation"]);
      expect(eventBusStatus()?.redis.state).toBe("off"); // the process bus, started with redisUrl: null
    } finally {
      await handle.stop();
      if (saved !== undefined) process.env.REDIS_URL = saved;
    }
    expect(ownBus.stats().total_subscriptions).toBe(0);
    // Stopped: a commit no longer reaches that bus.
    await ping("after stop");
    expect(ownBus.history()).toEqual([]);
  });
});

describe("built-in cache invalidation", () => {
  // PostgreSQL has no data_version: memos are then invalidated by events. Simulated here by a
  // postgresql:// DATABASE_URL while only memos (no queries) run, and a frozen clock.
  let savedUrl: string | undefined;
  function asPostgres() {
    savedUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://preroll@127.0.0.1:1/preroll";
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T10:00:00.250Z"));
  }
  afterEach(() => {
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
    savedUrl = undefined;
    setEventDrivenInvalidation(false);
    vi.useRealTimers();
  });

  const committed = (id: number): BusEnvelope => buildEnvelope("setting.updated", { key: "anything" }, { id });

  it("on PostgreSQL, a committed event on the bus (local or from another instance) invalidates memos; an ephemeral one does not", async () => {
    asPostgres();
    let computed = 0;
    const read = () => memoByDataVersion("test:pg-memo", async () => ++computed);
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    await bus.publish(committed(1_000_001)); // as the Redis fan-out delivers another instance's commit
    expect(await read()).toBe(2);
    expect(await read()).toBe(2);
    await bus.publish("test.ping", { message: "ephemeral, never committed" }); // id < 0
    expect(await read()).toBe(2);
  });

  it("on PostgreSQL, memos live 1 s without cross-process events, and until an event while they arrive", async () => {
    asPostgres();
    let computed = 0;
    const read = () => memoByDataVersion("test:pg-lifetime", async () => ++computed);
    expect(await read()).toBe(1);
    vi.setSystemTime(new Date("2026-03-01T10:00:01.250Z"));
    expect(await read()).toBe(2); // no event source covers the other processes: at most 1 s

    setEventDrivenInvalidation(true); // what startEventBus sets while the Redis fan-out is connected
    expect(await read()).toBe(3);
    vi.setSystemTime(new Date("2026-03-01T10:00:30.000Z"));
    expect(await read()).toBe(3);
    await bus.publish(committed(1_000_002));
    expect(await read()).toBe(4);
  });

  it("the /api/data JSON cache serves a new body after another instance's event (PostgreSQL)", async () => {
    asPostgres();
    let stock = 10;
    const get = () => cachedJsonResponse(new Request("http://localhost/api/data"), "test-data", async () => ({ stock }));
    const first = await get();
    expect(await first.json()).toEqual({ stock: 10 });
    stock = 7; // changed by another instance…
    expect(await (await get()).json()).toEqual({ stock: 10 }); // …not seen yet
    await bus.publish(committed(1_000_003)); // …whose event arrives
    const fresh = await get();
    expect(await fresh.json()).toEqual({ stock: 7 });
    expect(fresh.headers.get("etag")).not.toBe(first.headers.get("etag"));
  });

  it("a durable `cache` subscriber invalidates the memos under its configured key prefixes", async () => {
    asPostgres();
    const counts = { json: 0, settings: 0 };
    const readJson = () => memoByDataVersion("json:durable", async () => ++counts.json);
    const readSettings = () => memoByDataVersion("settings:durable", async () => ++counts.settings);
    await readJson();
    await readSettings();
    const subscriber = { id: "s1", name: "cache", kind: "cache", config: { keys: ["json:"] } } as unknown as Subscriber;
    const envelope = toEnvelope(
      await db.event.create({ data: { type: "setting.updated", payload: { key: "k" }, actor: "t", trace_id: "t", source: "t" } }),
    );
    const result = await handlerFor("cache")({ subscriber, envelope, now: new Date(), deadlineMs: 1000 });
    expect(result.ok).toBe(true);
    await readJson();
    await readSettings();
    expect(counts).toEqual({ json: 2, settings: 1 });

    // Without keys: everything.
    await handlerFor("cache")({ subscriber: { ...subscriber, config: {} }, envelope, now: new Date(), deadlineMs: 1000 });
    await readJson();
    await readSettings();
    expect(counts).toEqual({ json: 3, settings: 2 });
  });
});

describe("SSE live path", () => {
  const ENV = { EVENTS_SSE_POLL_MS: "60000", EVENTS_SSE_MAX_MS: "60000", EVENTS_SSE_HEARTBEAT_MS: "60000" };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterEach(async () => {
    await vi.waitFor(() => expect(openEventStreamCount()).toBe(0), { timeout: 2000 });
  });

  const insertElsewhere = (key: string) =>
    other.event.create({ data: { type: "setting.updated", payload: { key }, actor: "instance-b", trace_id: "t-b", source: "web" } });

  // PostgreSQL: another connection's event insert notifies (LISTEN/NOTIFY wakes the stream without the
  // bus; tests/postgres/change-detection.test.ts), so "nobody tells this process" does not hold there.
  it.skipIf(onPostgres)(
    "wakes on a bus event and sends another instance's commit within 300 ms, read from the database in id order",
    async () => {
      // The data_version poll is 60 s away: only the bus can wake the stream.
      const stream = await openSse("/api/events/stream", headers);
      try {
        await stream.until(() => stream.blocks.some((b) => b.startsWith("id: ")));

        const first = await insertElsewhere("unannounced"); // committed, but nobody tells this process
        await new Promise((r) => setTimeout(r, 300));
        expect(stream.events).toEqual([]);

        const second = await insertElsewhere("announced");
        const announcedAt = Date.now();
        await bus.publish(toEnvelope(second) as BusEnvelope); // what the Redis fan-out does on arrival
        await stream.until(() => stream.events.length >= 2, 1000);
        expect(stream.events.at(-1)!.at - announcedAt).toBeLessThan(300);
        // The bus only woke the stream: both rows came from the database, in id order, each once.
        expect(stream.events.map((e) => [e.id, (e.data as { payload: { key: string } }).payload.key])).toEqual([
          [first.id, "unannounced"],
          [second.id, "announced"],
        ]);
      } finally {
        await stream.close();
      }
    },
  );

  // On PostgreSQL the commit's own notification wakes the hub too; it names an id the head has passed.
  it("sends an event committed in this process at once, without a second read (outbox → bus)", async () => {
    const stream = await openSse("/api/events/stream", headers);
    const findMany = vi.spyOn(feedDb().event, "findMany");
    try {
      await stream.until(() => stream.blocks.some((b) => b.startsWith("id: ")));
      // PostgreSQL: the change listener's first connect rightly makes the hub read (what committed
      // before it listened is unknown); the saved read is the one after that.
      if (onPostgres) await vi.waitFor(() => expect(pgChangesState().connected).toBe(true), { timeout: 5000 });
      findMany.mockClear();
      const started = Date.now();
      const envelope = await ping("sse-local");
      await stream.until(() => stream.events.length >= 1, 1000);
      expect(stream.events[0].at - started).toBeLessThan(300);
      expect(stream.events.map((e) => e.id)).toEqual([envelope.id]);
      await new Promise((r) => setTimeout(r, 20));
      expect(stream.events).toHaveLength(1);
      // It followed the head directly: the bus announcement of the same id did not cause a read.
      expect(findMany).not.toHaveBeenCalled();
    } finally {
      findMany.mockRestore();
      await stream.close();
    }
  });
});
