import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { bus as singleton, buildEnvelope, connectBusToOutbox, EventBus, type BusEnvelope } from "@/lib/events/bus";
import { InvalidEventPayloadError, UnknownEventTypeError, type EventEnvelope } from "@/lib/events/catalogue";
import { notifyCommitted } from "@/lib/events/outbox";
import { requestScope } from "@/lib/context";

const ping = (message: string) => ({ message });
const fg = (metrc: string) => ({ metrc_number: metrc, strain: "Runtz", updated_fields: ["notes"] });

afterEach(() => {
  vi.useRealTimers();
});

describe("EventBus", () => {
  it("calls higher priority first, equal priorities in subscription order", async () => {
    const bus = new EventBus();
    const order: string[] = [];
    bus.subscribe("test.ping", () => void order.push("p0-a"));
    bus.subscribe("test.ping", () => void order.push("p10"), { priority: 10 });
    bus.subscribe("test.ping", () => void order.push("p-5"), { priority: -5 });
    bus.subscribe("test.ping", () => void order.push("p0-b"));
    bus.subscribe("*", () => void order.push("star-p5"), { priority: 5 });
    await bus.publish("test.ping", ping("hi"));
    expect(order).toEqual(["p10", "star-p5", "p0-a", "p0-b", "p-5"]);
  });

  it("calls a once subscription a single time and removes it, even when its callback publishes again", async () => {
    const bus = new EventBus();
    const calls: string[] = [];
    const id = bus.subscribe(
      "test.ping",
      (e) => {
        calls.push(e.payload.message);
        void bus.publish("test.ping", ping("nested"));
      },
      { once: true },
    );
    await bus.publish("test.ping", ping("first"));
    await bus.publish("test.ping", ping("second"));
    expect(calls).toEqual(["first"]);
    expect(bus.unsubscribe(id)).toBe(false);
    expect(bus.stats().total_subscriptions).toBe(0);
    expect(bus.stats().subscriptions_removed).toBe(1);
  });

  it("unsubscribe(id) removes that subscription only, and reports whether it existed", async () => {
    const bus = new EventBus();
    const a = vi.fn();
    const b = vi.fn();
    const idA = bus.subscribe("test.ping", a);
    bus.subscribe("test.ping", b);
    expect(bus.unsubscribe(idA)).toBe(true);
    expect(bus.unsubscribe(idA)).toBe(false);
    expect(bus.unsubscribe("no-such-id")).toBe(false);
    await bus.publish("test.ping", ping("x"));
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
  });

  it("unsubscribeType removes the subscriptions made with exactly that pattern", async () => {
    const bus = new EventBus();
    const exact = vi.fn();
    const glob = vi.fn();
    const other = vi.fn();
    bus.subscribe("finished_good.updated", exact);
    bus.subscribe("finished_good.updated", exact);
    bus.subscribe("finished_good.*", glob);
    bus.subscribe("test.ping", other);
    expect(bus.unsubscribeType("finished_good.updated")).toBe(2);
    expect(bus.unsubscribeType("finished_good.updated")).toBe(0);
    await bus.publish("finished_good.updated", fg("M1"));
    await bus.publish("test.ping", ping("x"));
    expect(exact).not.toHaveBeenCalled();
    expect(glob).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(1);
    expect(bus.unsubscribeType("finished_good.*")).toBe(1);
  });

  it("unsubscribeAll removes every subscription", async () => {
    const bus = new EventBus();
    const cb = vi.fn();
    bus.subscribe("test.ping", cb);
    bus.subscribe("*", cb);
    bus.subscribe("batch.*", cb);
    expect(bus.unsubscribeAll()).toBe(3);
    await bus.publish("test.ping", ping("x"));
    expect(cb).not.toHaveBeenCalled();
    expect(bus.stats()).toMatchObject({ total_subscriptions: 0, subscriptions_created: 3, subscriptions_removed: 3 });
  });

  it("skips a subscription removed by an earlier callback of the same dispatch", async () => {
    const bus = new EventBus();
    const late = vi.fn();
    let lateId = "";
    bus.subscribe("test.ping", () => void bus.unsubscribe(lateId), { priority: 1 });
    lateId = bus.subscribe("test.ping", late);
    const result = await bus.publish("test.ping", ping("x"));
    expect(late).not.toHaveBeenCalled();
    expect(result.called).toBe(1);
  });

  it("matches *, prefix globs and suffix globs, and types the callback by the pattern", async () => {
    const bus = new EventBus();
    const seen: Record<string, string[]> = { all: [], fg: [], deleted: [] };
    bus.subscribe("*", (e) => void seen.all.push(e.type));
    bus.subscribe("finished_good.*", (e) => {
      expectTypeOf(e.payload.metrc_number).toEqualTypeOf<string>();
      seen.fg.push(e.type);
    });
    bus.subscribe("*.deleted", (e) => {
      expectTypeOf(e.type).toEqualTypeOf<Extract<BusEnvelope["type"], `${string}.deleted`>>();
      seen.deleted.push(e.type);
    });
    await bus.publish("finished_good.updated", fg("M1"));
    await bus.publish("finished_good.deleted", { metrc_number: "M1", strain: "Runtz" });
    await bus.publish("batch.deleted", { batch_id: "b1", strain: "Runtz" });
    await bus.publish("test.ping", ping("x"));
    expect(seen.all).toEqual(["finished_good.updated", "finished_good.deleted", "batch.deleted", "test.ping"]);
    expect(seen.fg).toEqual(["finished_good.updated", "finished_good.deleted"]);
    expect(seen.deleted).toEqual(["finished_good.deleted", "batch.deleted"]);
  });

  it("refuses a subscription to an unknown type or a glob that matches no catalogued type", () => {
    const bus = new EventBus();
    // @ts-expect-error -- not a catalogued type: a compile error too
    expect(() => bus.subscribe("batch.exploded", () => undefined)).toThrow(UnknownEventTypeError);
    expect(() => bus.subscribe("nothing.*", () => undefined)).toThrow(UnknownEventTypeError);
    expect(bus.stats().subscriptions_created).toBe(0);
  });

  it("keeps a bounded history, oldest dropped first (default 1,000)", async () => {
    expect(new EventBus().stats().max_history_size).toBe(1000);
    const bus = new EventBus({ maxHistory: 3 });
    for (let i = 1; i <= 5; i++) await bus.publish("test.ping", ping(`m${i}`));
    const kept = bus.history().map((e) => (e.payload as { message: string }).message);
    expect(kept).toEqual(["m3", "m4", "m5"]);
    expect(bus.stats()).toMatchObject({ event_history_size: 3, max_history_size: 3, events_published: 5 });
    bus.clearHistory();
    expect(bus.history()).toEqual([]);

    const none = new EventBus({ maxHistory: 0 });
    await none.publish("test.ping", ping("x"));
    expect(none.history()).toEqual([]);
  });

  it("filters history by type or glob, trace id, time and limit", async () => {
    const bus = new EventBus();
    await bus.publish("test.ping", ping("old"), { timestamp: "2026-01-01T00:00:00.000Z", traceId: "t-old" });
    await bus.publish("finished_good.updated", fg("M1"), { timestamp: "2026-02-01T00:00:00.000Z", traceId: "t1" });
    await bus.publish(
      "finished_good.deleted",
      { metrc_number: "M1", strain: "Runtz" },
      { timestamp: "2026-02-02T00:00:00.000Z", traceId: "t1" },
    );
    await bus.publish("test.ping", ping("new"), { timestamp: "2026-03-01T00:00:00.000Z", traceId: "t2" });
    const types = (list: BusEnvelope[]) => list.map((e) => e.type);
    expect(types(bus.history({ type: "test.ping" }))).toEqual(["test.ping", "test.ping"]);
    expect(types(bus.history({ type: "finished_good.*" }))).toEqual(["finished_good.updated", "finished_good.deleted"]);
    expect(types(bus.history({ traceId: "t1" }))).toEqual(["finished_good.updated", "finished_good.deleted"]);
    expect(types(bus.history({ since: new Date("2026-02-02T00:00:00.000Z") }))).toEqual(["finished_good.deleted", "test.ping"]);
    expect(types(bus.history({ limit: 2 }))).toEqual(["finished_good.deleted", "test.ping"]);
    expect(bus.history({ limit: 0 })).toEqual([]);
  });

  it("waitFor resolves with the next matching envelope and leaves no subscription or timer", async () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const waiting = bus.waitFor("finished_good.*", 5000, (e) => e.payload.metrc_number === "M2");
    expect(bus.stats().total_subscriptions).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    await bus.publish("finished_good.updated", fg("M1")); // fails the predicate
    await bus.publish("test.ping", ping("x")); // another type
    const { envelope } = await bus.publish("finished_good.updated", fg("M2"));
    await expect(waiting).resolves.toBe(envelope);
    expect(bus.stats().total_subscriptions).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waitFor resolves null on timeout and leaves no subscription or timer", async () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const waiting = bus.waitFor("test.ping", 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(bus.stats().total_subscriptions).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(waiting).resolves.toBeNull();
    expect(bus.stats()).toMatchObject({ total_subscriptions: 0, subscriptions_created: 1, subscriptions_removed: 1 });
    expect(vi.getTimerCount()).toBe(0);
    await bus.publish("test.ping", ping("late"));
    expect(bus.stats().total_callbacks_called).toBe(0);
  });

  it("waitFor refuses an unknown type without leaving a timer", () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    expect(() => bus.waitFor("batch.exploded" as never, 1000)).toThrow(UnknownEventTypeError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("counts every stat exactly", async () => {
    const bus = new EventBus({ maxHistory: 2 });
    const a = bus.subscribe("test.ping", () => undefined);
    bus.subscribe("test.ping", () => undefined, { once: true });
    bus.subscribe("finished_good.*", () => {
      throw new Error("boom");
    });
    bus.subscribe("*", () => undefined);
    await bus.publish("test.ping", ping("1")); // a, once, *            → 3 calls
    await bus.publish("test.ping", ping("2")); // a, *                  → 2 calls
    await bus.publish("finished_good.updated", fg("M1")); // glob (throws), * → 2 calls, 1 error
    bus.unsubscribe(a);
    expect(bus.stats()).toEqual({
      events_published: 3,
      total_callbacks_called: 7,
      callback_errors: 1,
      subscriptions_created: 4,
      subscriptions_removed: 2,
      subscription_counts: { "finished_good.*": 1, "*": 1 },
      total_subscriptions: 2,
      event_history_size: 2,
      max_history_size: 2,
      published_counts: { "test.ping": 2, "finished_good.updated": 1 },
    });
  });

  it("isolates a throwing subscriber: the others are called, publish resolves, the error is counted and kept", async () => {
    const bus = new EventBus();
    const after = vi.fn();
    const bad = bus.subscribe(
      "test.ping",
      () => {
        throw new TypeError("bad subscriber");
      },
      { priority: 1, name: "bad" },
    );
    bus.subscribe("test.ping", after);
    const result = await bus.publish("test.ping", ping("x"));
    expect(after).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ called: 2, errors: 1 });
    expect(bus.stats().callback_errors).toBe(1);
    const [details] = bus.subscriptionDetails("test.ping").filter((d) => d.subscription_id === bad);
    expect(details).toMatchObject({ name: "bad", call_count: 1, error_count: 1 });
    expect(details.recent_errors).toHaveLength(1);
    expect(details.recent_errors[0]).toMatchObject({
      error: "TypeError: bad subscriber",
      event_type: "test.ping",
      event_id: result.envelope.id,
    });
    expect(details.recent_errors[0].stack).toContain("bad subscriber");
  });

  it("isolates a rejecting async subscriber and awaits async subscribers before publish settles", async () => {
    const bus = new EventBus();
    const events: string[] = [];
    const bad = bus.subscribe("test.ping", async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error("async boom");
    });
    bus.subscribe("test.ping", async () => {
      events.push("slow started");
      await new Promise((r) => setTimeout(r, 20));
      events.push("slow done");
    });
    bus.subscribe("test.ping", () => void events.push("sync called"));
    const publishing = bus.publish("test.ping", ping("x"));
    // Every callback was called inside publish; none waited for an earlier async one.
    expect(events).toEqual(["slow started", "sync called"]);
    const result = await publishing;
    expect(events).toEqual(["slow started", "sync called", "slow done"]);
    expect(result).toMatchObject({ called: 3, errors: 1 });
    expect(bus.stats().callback_errors).toBe(1);
    const details = bus.subscriptionDetails().find((d) => d.subscription_id === bad);
    expect(details?.recent_errors.map((e) => e.error)).toEqual(["Error: async boom"]);
  });

  it("keeps only the most recent errors per subscription", async () => {
    const bus = new EventBus({ maxRecentErrors: 2 });
    const id = bus.subscribe("test.ping", (e) => {
      throw new Error(e.payload.message);
    });
    for (const m of ["e1", "e2", "e3"]) await bus.publish("test.ping", ping(m));
    const details = bus.subscriptionDetails().find((d) => d.subscription_id === id);
    expect(details?.error_count).toBe(3);
    expect(details?.recent_errors.map((e) => e.error)).toEqual(["Error: e2", "Error: e3"]);
  });

  it("rejects an unknown type or a bad payload when building the envelope, publishing nothing", () => {
    const bus = new EventBus();
    const cb = vi.fn();
    bus.subscribe("*", cb);
    expect(() => bus.publish("batch.exploded" as never, {} as never)).toThrow(UnknownEventTypeError);
    expect(() => bus.publish("test.ping", { nope: 1 } as never)).toThrow(InvalidEventPayloadError);
    expect(() => bus.publish({ id: 1, type: "batch.exploded", payload: {}, metadata: {} } as never)).toThrow(UnknownEventTypeError);
    expect(() => buildEnvelope("batch.exploded" as never, {} as never)).toThrow(UnknownEventTypeError);
    expect(cb).not.toHaveBeenCalled();
    expect(bus.stats().events_published).toBe(0);
    expect(bus.history()).toEqual([]);
  });

  it("builds envelopes with ephemeral negative ids and the request scope's metadata", () => {
    const a = buildEnvelope("test.ping", ping("a"));
    const b = buildEnvelope("test.ping", ping("b"));
    expect(a.id).toBeLessThan(0);
    expect(b.id).toBe(a.id - 1);
    expect(a.metadata).toMatchObject({ actor: "system", source: "system" });
    expect(a.metadata.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(Number.isNaN(Date.parse(a.metadata.timestamp))).toBe(false);
    const scoped = requestScope.run({ actor: "alice", traceId: "trace-123", source: "web" }, () => buildEnvelope("test.ping", ping("c")));
    expect(scoped.metadata).toMatchObject({ actor: "alice", traceId: "trace-123", source: "web" });
    expect(buildEnvelope("test.ping", ping("d"), { id: 42, actor: "bob" })).toMatchObject({ id: 42, metadata: { actor: "bob" } });
  });

  it("publishes a ready envelope as is", async () => {
    const bus = new EventBus();
    const envelope = buildEnvelope("test.ping", ping("ready"), { id: 7 });
    const got = vi.fn();
    bus.subscribe("test.ping", got);
    const result = await bus.publish(envelope);
    expect(got).toHaveBeenCalledWith(envelope);
    expect(result.envelope).toBe(envelope);
  });
});

describe("process-wide bus and the outbox", () => {
  it("exports one singleton EventBus", () => {
    expect(singleton).toBeInstanceOf(EventBus);
    expect((globalThis as { __prerollBus?: EventBus }).__prerollBus).toBe(singleton);
  });

  it("connectBusToOutbox publishes committed events in order, once however often it is called, until disconnected", () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe("*", (e) => void seen.push(e.id));
    const disconnect = connectBusToOutbox(bus);
    expect(connectBusToOutbox(bus)).toBe(disconnect);
    const row = (id: number): EventEnvelope => ({
      id,
      type: "test.ping",
      payload: { message: `m${id}` },
      metadata: { timestamp: new Date().toISOString(), actor: "system", traceId: "t", source: "system" },
    });
    notifyCommitted([row(1), row(2), { ...row(3), type: "not.catalogued" }, row(4)]);
    expect(seen).toEqual([1, 2, 4]);
    disconnect();
    notifyCommitted([row(5)]);
    expect(seen).toEqual([1, 2, 4]);
    const again = connectBusToOutbox(bus);
    expect(again).not.toBe(disconnect);
    notifyCommitted([row(6)]);
    expect(seen).toEqual([1, 2, 4, 6]);
    again();
  });
});
