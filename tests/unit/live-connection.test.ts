import { beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, LiveConnection, streamUrl, type EventSourceLike, type LiveStatus } from "@/lib/client/live/live-connection";

/** A stand-in EventSource the test opens, fails and feeds by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  listeners = new Map<string, ((ev: { data: string; lastEventId: string }) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (ev: { data: string; lastEventId: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  fail() {
    this.onerror?.({});
  }
  emit(type: string, id: string, envelope: unknown) {
    for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(envelope), lastEventId: id });
  }
}

describe("backoffDelay", () => {
  it("doubles from the base up to the cap, with ±20 % jitter", () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 1000, 30_000, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(2, 1000, 30_000, () => 0)).toBe(3200);
    expect(backoffDelay(2, 1000, 30_000, () => 0.999999)).toBe(4800);
  });
});

describe("streamUrl", () => {
  it("puts the filter and the resume cursor in the query (a new EventSource sends no Last-Event-ID)", () => {
    expect(streamUrl("/api/events/stream", ["batch.*", "supply.*"], null)).toBe("/api/events/stream?type=batch.*%2Csupply.*");
    expect(streamUrl("/api/events/stream", [], "41")).toBe("/api/events/stream?after=41");
  });
});

describe("LiveConnection", () => {
  let sources: FakeSource[];
  let statuses: LiveStatus[];
  let events: [string, unknown][];
  let connection: LiveConnection;

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    statuses = [];
    events = [];
    connection = new LiveConnection({
      path: "/api/events/stream",
      globs: ["batch.*"],
      types: ["batch.counts_changed", "batch.stage_changed"],
      onEvent: (type, envelope) => events.push([type, envelope]),
      onStatus: (s) => statuses.push(s),
      deps: {
        createEventSource: (url) => {
          const s = new FakeSource(url);
          sources.push(s);
          return s;
        },
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        random: () => 0.5,
      },
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      graceMs: 2000,
    });
  });

  it("goes live on open and hands each named event over with its parsed envelope", () => {
    connection.start();
    sources[0].open();
    sources[0].emit("batch.counts_changed", "7", { id: 7, type: "batch.counts_changed", payload: { batch_id: "b" } });
    expect(statuses).toEqual(["live"]);
    expect(events).toEqual([["batch.counts_changed", { id: 7, type: "batch.counts_changed", payload: { batch_id: "b" } }]]);
    expect(connection.cursor).toBe("7");
  });

  it("after an error it closes the source itself and reconnects after the back-off, resuming after the last id", () => {
    connection.start();
    sources[0].open();
    sources[0].emit("batch.stage_changed", "12", { id: 12 });
    sources[0].fail();
    expect(sources[0].closed).toBe(true);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);
    expect(sources[1].url).toBe("/api/events/stream?type=batch.*&after=12");
  });

  it("a short drop (the server ending a stream) never shows as down; a long one does", () => {
    connection.start();
    sources[0].open();
    sources[0].fail();
    vi.advanceTimersByTime(1000);
    sources[1].open(); // back within the grace period
    vi.advanceTimersByTime(5000);
    expect(statuses).toEqual(["live"]);

    sources[1].fail();
    vi.advanceTimersByTime(1000);
    sources[2].fail(); // e.g. 401 / 502: the reconnect fails too
    vi.advanceTimersByTime(1000);
    expect(statuses).toEqual(["live", "down"]);
  });

  it("keeps backing off (1, 2, 4, 8, 8 s) while the server refuses, and resets after a success", () => {
    connection.start();
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = sources.length;
      sources[sources.length - 1].fail();
      let waited = 0;
      while (sources.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      gaps.push(waited);
    }
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 8000]);
    sources[sources.length - 1].open();
    sources[sources.length - 1].fail();
    vi.advanceTimersByTime(1000);
    expect(sources).toHaveLength(7);
  });

  it("ignores a late callback of a replaced source and malformed data", () => {
    connection.start();
    const first = sources[0];
    first.open();
    first.fail();
    vi.advanceTimersByTime(1000);
    first.emit("batch.counts_changed", "99", { stale: true });
    expect(events).toEqual([]);
    sources[1].open();
    for (const l of sources[1].listeners.get("batch.counts_changed") ?? []) l({ data: "not json", lastEventId: "100" });
    expect(events).toEqual([]);
    expect(connection.cursor).toBe("100");
  });

  it("retryNow skips the wait when the browser comes back online; stop ends everything", () => {
    connection.start();
    sources[0].fail();
    connection.retryNow();
    expect(sources).toHaveLength(2);
    connection.stop();
    expect(sources[1].closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(sources).toHaveLength(2);
  });
});
