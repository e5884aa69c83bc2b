import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { buildEnvelope, EventBus, type BusEnvelope } from "@/lib/events/bus";
import { RedisFanoutStartError, startRedisFanout, type RedisFanout } from "@/lib/events/redis-fanout";

/**
 * Bus fan-out between instances through Redis pub/sub (SPEC §4.6), against the local Redis
 * (REDIS_URL, else 127.0.0.1:6379). Each test uses its own channel. Skips loudly when no server is reachable.
 */
const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function reachable(): Promise<string | null> {
  const client = new Redis(URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: Error | null = null;
  client.on("error", (error: Error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
    await client.quit();
    return null;
  } catch (error) {
    client.disconnect();
    return (lastError as Error | null)?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

const unreachable = await reachable();
if (unreachable) console.warn(`\n⚠ Redis not reachable at ${URL.replace(/\/\/[^@/]*@/, "//***@")} (${unreachable}): Redis fan-out tests SKIPPED\n`);

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
    await until(() => fanA.stats().received === 1 && fanA.stats().ignored_own === 1 && fanB.stats().received === 1 && fanB.stats().ignored_own === 1);
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
