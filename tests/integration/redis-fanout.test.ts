import { redisUnreachable, TEST_REDIS_URL } from "@/tests/helpers/redis";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Redis } from "ioredis";
import { db } from "@/lib/db/client";
import { buildEnvelope, EventBus, type BusEnvelope } from "@/lib/events/bus";
import { RedisFanoutStartError, startRedisFanout, type RedisFanout } from "@/lib/events/redis-fanout";
import { startEventBus } from "@/lib/events/start";
import { openEventStreamCount } from "@/lib/events/sse";
import { logger } from "@/lib/log";
import { AppProcess } from "@/tests/helpers/app-process";
import { createPrincipals } from "@/tests/helpers/principals";
import { openSse } from "@/tests/helpers/sse-client";

/**
 * Bus fan-out between instances through Redis pub/sub (SPEC §4.6), against the local Redis
 * (REDIS_URL, else 127.0.0.1:6379): between buses of this process, between two app processes
 * (tests/helpers/event-bus-process.ts) sharing this file's database, and through outages of a
 * throwaway redis-server. Each test uses its own channel. Skips loudly when no server is reachable.
 */
const URL = TEST_REDIS_URL;
const unreachable = await redisUnreachable("Redis fan-out tests");

const open: RedisFanout[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function start(bus: EventBus, channel: string, instanceId?: string): Promise<RedisFanout> {
  const fanout = await startRedisFanout({ url: URL, bus, channel, instanceId });
  if (!fanout) throw new Error("fan-out did not start");
  open.push(fanout);
  return fanout;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const messages = (bus: EventBus) => bus.history({ type: "test.ping" }).map((e) => (e.payload as { message: string }).message);

describe("Redis fan-out without Redis configured", () => {
  it("does not start without a URL", async () => {
    const saved = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      await expect(startRedisFanout({ bus: new EventBus() })).resolves.toBeNull();
    } finally {
      if (saved !== undefined) process.env.REDIS_URL = saved;
    }
  });

  it("fails to start, cleanly, when Redis cannot be reached", async () => {
    const bus = new EventBus();
    const starting = startRedisFanout({ url: "redis://:secret@127.0.0.1:1", bus, connectTimeoutMs: 1000 });
    await expect(starting).rejects.toThrow(RedisFanoutStartError);
    await expect(starting).rejects.toThrow(/ECONNREFUSED/);
    await expect(starting).rejects.not.toThrow(/secret/);
    expect(bus.stats().total_subscriptions).toBe(0);
  });
});

describe.skipIf(unreachable !== null)("Redis fan-out", () => {
  it("two buses on separate connections see each other's events exactly once, with no echo", async () => {
    const channel = `preroll:test:${randomUUID()}`;
    const busA = new EventBus();
    const busB = new EventBus();
    const fanA = await start(busA, channel);
    const fanB = await start(busB, channel);
    expect(fanA.instanceId).not.toBe(fanB.instanceId);

    await busA.publish("test.ping", { message: "from A" });
    await busB.publish("test.ping", { message: "from B" });

    // Redis hands each subscriber every message in order, so once each side has seen the other's
    // message and its own echo, nothing more is on its way.
    await until(
      () => fanA.stats().received === 1 && fanA.stats().ignored_own === 1 && fanB.stats().received === 1 && fanB.stats().ignored_own === 1,
    );
    expect(messages(busA).sort()).toEqual(["from A", "from B"]);
    expect(messages(busB).sort()).toEqual(["from A", "from B"]);
    expect(fanA.stats()).toMatchObject({ sent: 1, received: 1, ignored_own: 1, dropped: 0, send_errors: 0 });
    expect(fanB.stats()).toMatchObject({ sent: 1, received: 1, ignored_own: 1, dropped: 0, send_errors: 0 });
    expect(busA.stats().events_published).toBe(2);
    expect(busB.stats().events_published).toBe(2);
  });

  it("carries the envelope unchanged (id, payload, metadata) to subscribers of the other bus", async () => {
    const channel = `preroll:test:${randomUUID()}`;
    const busA = new EventBus();
    const busB = new EventBus();
    await start(busA, channel);
    await start(busB, channel);
    const waiting = busB.waitFor("finished_good.*", 5000);
    const envelope = buildEnvelope(
      "finished_good.deducted",
      { metrc_number: "1A4000000000000000001", strain: "Runtz", previous_grams: 100, current_grams: 90, grams: 10, reason: null },
      { id: 123, actor: "alice", traceId: "trace-abc", source: "web" },
    );
    await busA.publish(envelope);
    const got = (await waiting) as BusEnvelope | null;
    expect(got).toEqual(envelope);
    expect(got).not.toBe(envelope);
  });

  it("delivers to every other instance once, however many there are", async () => {
    const channel = `preroll:test:${randomUUID()}`;
    const buses = [new EventBus(), new EventBus(), new EventBus()];
    const fans = await Promise.all(buses.map((b) => start(b, channel)));
    await buses[0].publish("test.ping", { message: "one" });
    await buses[1].publish("test.ping", { message: "two" });
    await until(() => fans.every((f) => f.stats().received + f.stats().ignored_own === 2));
    for (const b of buses) expect(messages(b).sort()).toEqual(["one", "two"]);
    expect(fans.map((f) => f.stats().sent)).toEqual([1, 1, 0]);
  });

  it("drops malformed, foreign-format and uncatalogued messages", async () => {
    const channel = `preroll:test:${randomUUID()}`;
    const bus = new EventBus();
    const fan = await start(bus, channel);
    const raw = new Redis(URL);
    try {
      const good = buildEnvelope("test.ping", { message: "valid" });
      await raw.publish(channel, "not json");
      await raw.publish(channel, JSON.stringify({ v: 99, origin: "x", envelope: good }));
      await raw.publish(channel, JSON.stringify({ v: 1, origin: "x", envelope: { ...good, type: "batch.exploded" } }));
      await raw.publish(channel, JSON.stringify({ v: 1, origin: "x", envelope: { ...good, payload: { wrong: true } } }));
      await raw.publish(channel, JSON.stringify({ v: 1, origin: "x", envelope: { ...good, metadata: null } }));
      await raw.publish(channel, JSON.stringify({ v: 1, origin: "x", envelope: good }));
      await until(() => fan.stats().received === 1);
      expect(fan.stats().dropped).toBe(5);
      expect(messages(bus)).toEqual(["valid"]);
    } finally {
      await raw.quit();
    }
  });

  it("returns the running fan-out for the same bus, and close() stops it and ends both connections", async () => {
    const channel = `preroll:test:${randomUUID()}`;
    const busA = new EventBus();
    const busB = new EventBus();
    const fanA = await start(busA, channel);
    const fanB = await start(busB, channel);
    await expect(startRedisFanout({ url: URL, bus: busA, channel })).resolves.toBe(fanA);
    expect(busA.subscriptionDetails().map((d) => d.name)).toEqual(["redis-fanout"]);

    await fanA.close();
    await fanA.close(); // idempotent
    expect(fanA.stats()).toMatchObject({ publisher_status: "end", subscriber_status: "end" });
    expect(busA.stats().total_subscriptions).toBe(0);

    await busA.publish("test.ping", { message: "after close" });
    await busB.publish("test.ping", { message: "marker" });
    await until(() => fanB.stats().ignored_own === 1); // B's own marker came back: anything from A would have arrived before
    expect(messages(busB)).toEqual(["marker"]);

    const restarted = await start(busA, channel);
    expect(restarted).not.toBe(fanA);
  });
});

describe.skipIf(unreachable !== null)("Redis fan-out between app processes", () => {
  const apps: AppProcess[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
  });
  const startApps = async (env: Record<string, string>, ...names: string[]) => {
    const started = await Promise.all(names.map((n) => AppProcess.start(n, env)));
    apps.push(...started);
    return started;
  };
  const messageOf = (e: { payload: unknown }) => (e.payload as { message: string }).message;

  it("an event committed in process A reaches process B's bus within 1 s, exactly once, and nothing comes back", async () => {
    const env = { REDIS_URL: URL, REDIS_EVENTS_CHANNEL: `preroll:test:${randomUUID()}` };
    const [a, b] = await startApps(env, "A", "B");
    for (const app of [a, b]) expect(app.messages.find((m) => m.type === "ready")).toMatchObject({ connected: true });

    const fromA = await a.commit("from A");
    const onB = await b.until((m) => m.type === "event" && (m.envelope as BusEnvelope).id === fromA.id, 2000);
    expect(onB.at - fromA.at).toBeLessThan(1000);

    // B commits after it heard A: when A hears B, anything B sent back of A's event came first.
    const fromB = await b.commit("from B");
    await a.until((m) => m.type === "event" && (m.envelope as BusEnvelope).id === fromB.id, 2000);
    await vi.waitFor(async () => expect((await b.status()).redis).toMatchObject({ fanout: { ignored_own: 1 } }), { timeout: 2000 });

    const expected = [
      [fromA.id, "from A"],
      [fromB.id, "from B"],
    ];
    expect(a.events().map((e) => [e.id, messageOf(e)])).toEqual(expected);
    expect(b.events().map((e) => [e.id, messageOf(e)])).toEqual(expected);
    // The envelope is the outbox row, whichever bus it is on.
    expect(b.events()[0]).toMatchObject({ id: fromA.id, type: "test.ping", metadata: { actor: "A", source: "A" } });
    const rows = await db.event.findMany({ where: { id: { in: [fromA.id, fromB.id] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.actor])).toEqual([
      [fromA.id, "A"],
      [fromB.id, "B"],
    ]);
    for (const app of [a, b]) {
      expect((await app.status()).redis).toMatchObject({
        state: "connected",
        fanout: { sent: 1, received: 1, ignored_own: 1, dropped: 0, send_errors: 0 },
      });
    }
  });

  it("an SSE stream here sends another process's commit within 300 ms (its outbox → Redis → this bus → stream)", async () => {
    const channel = `preroll:test:${randomUUID()}`;
    const [a] = await startApps({ REDIS_URL: URL, REDIS_EVENTS_CHANNEL: channel }, "A");
    const here = startEventBus({ process: "web", redisUrl: URL, channel });
    const saved = process.env.EVENTS_SSE_POLL_MS;
    const savedMax = process.env.EVENTS_SSE_MAX_MS;
    process.env.EVENTS_SSE_POLL_MS = "60000"; // no data_version poll: only the bus can wake the stream
    // The suite ends streams after 500 ms (vitest.config.mts); process A's commit may come later on a busy machine.
    process.env.EVENTS_SSE_MAX_MS = "30000";
    try {
      expect(await here.redisReady(5000)).toBe(true);
      const p = await createPrincipals();
      const stream = await openSse("/api/events/stream", p.headers.viewer);
      try {
        await stream.until(() => stream.blocks.some((block) => block.startsWith("id: ")));
        const committed = await a.commit("to the stream");
        await stream.until(() => stream.events.some((e) => e.id === committed.id), 2000);
        const got = stream.events.find((e) => e.id === committed.id)!;
        expect(got.at - committed.at).toBeLessThan(300);
        expect(got).toMatchObject({ event: "test.ping", data: { id: committed.id, payload: { message: "to the stream" } } });
        expect(stream.events.map((e) => e.id)).toEqual([committed.id]);
      } finally {
        await stream.close();
      }
      await vi.waitFor(() => expect(openEventStreamCount()).toBe(0));
    } finally {
      if (saved === undefined) delete process.env.EVENTS_SSE_POLL_MS;
      else process.env.EVENTS_SSE_POLL_MS = saved;
      if (savedMax === undefined) delete process.env.EVENTS_SSE_MAX_MS;
      else process.env.EVENTS_SSE_MAX_MS = savedMax;
      await here.stop();
    }
  });
});

/** A throwaway redis-server on its own port, to take down and bring back. */
const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedisServer) console.warn("\n⚠ redis-server not installed: Redis outage tests SKIPPED\n");

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return child;
    if (Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stopRedisServer(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL"); // a crash, not a clean shutdown
  await exited;
}

describe.skipIf(!hasRedisServer)("Redis outages", () => {
  it("down at start: in-process delivery goes on, one warning, then it connects when Redis comes up", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const channel = `preroll:test:${randomUUID()}`;
    const warn = vi.spyOn(logger, "warn");
    const busA = new EventBus();
    const handle = startEventBus({ bus: busA, redisUrl: url, channel, retryMinMs: 50, retryMaxMs: 100 });
    let server: ChildProcess | null = null;
    try {
      await until(() => handle.status().redis.failed_attempts >= 4);
      expect(handle.status().redis).toMatchObject({ state: "retrying", fanout: null, last_error: expect.stringMatching(/ECONNREFUSED/) });
      expect(warn.mock.calls.filter(([, msg]) => String(msg).includes("redis"))).toHaveLength(1);

      const local = busA.waitFor("test.ping", 1000);
      await busA.publish("test.ping", { message: "while Redis is down" });
      await expect(local).resolves.toMatchObject({ payload: { message: "while Redis is down" } });

      server = await startRedisServer(port);
      expect(await handle.redisReady(5000)).toBe(true);
      const busB = new EventBus();
      open.push((await startRedisFanout({ url, bus: busB, channel }))!);
      const arrived = busB.waitFor("test.ping", 2000);
      await busA.publish("test.ping", { message: "once Redis is up" });
      await expect(arrived).resolves.toMatchObject({ payload: { message: "once Redis is up" } });
    } finally {
      warn.mockRestore();
      await handle.stop();
      await Promise.all(open.splice(0).map((f) => f.close()));
      await stopRedisServer(server);
    }
  });

  it("lost later: logged once (not per retry), local delivery goes on, ioredis reconnects and the fan-out resumes", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const channel = `preroll:test:${randomUUID()}`;
    let server: ChildProcess | null = await startRedisServer(port);
    const busA = new EventBus();
    const busB = new EventBus();
    const handle = startEventBus({ bus: busA, redisUrl: url, channel });
    const warn = vi.spyOn(logger, "warn");
    try {
      expect(await handle.redisReady(5000)).toBe(true);
      const fanB = await startRedisFanout({ url, bus: busB, channel });
      open.push(fanB!);
      const instanceA = handle.status().redis.fanout!.instance_id;
      const warningsOfA = () => warn.mock.calls.filter(([obj]) => (obj as { instance_id?: string } | undefined)?.instance_id === instanceA);

      await stopRedisServer(server);
      server = null;
      await until(() => handle.status().redis.state === "reconnecting");
      await new Promise((r) => setTimeout(r, 1500)); // ioredis retries several times meanwhile
      const seen: string[] = [];
      busA.subscribe("test.ping", (e) => void seen.push(e.payload.message));
      for (const message of ["down 1", "down 2", "down 3"]) await busA.publish("test.ping", { message });
      expect(seen).toEqual(["down 1", "down 2", "down 3"]);
      expect(warningsOfA()).toHaveLength(1);
      expect(String(warningsOfA()[0][1])).toMatch(/connection lost/);

      server = await startRedisServer(port);
      await until(() => handle.status().redis.state === "connected" && fanB!.connected, 10_000);
      const arrived = busB.waitFor("test.ping", 3000, (e) => e.payload.message === "after the outage");
      await busA.publish("test.ping", { message: "after the outage" });
      await expect(arrived).resolves.toMatchObject({ payload: { message: "after the outage" } });
      expect(warningsOfA()).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await handle.stop();
      await Promise.all(open.splice(0).map((f) => f.close()));
      await stopRedisServer(server);
    }
  });
});
