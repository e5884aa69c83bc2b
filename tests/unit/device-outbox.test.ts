import "fake-indexeddb/auto"; // IDB classes on globalThis, which idb's wrapper checks against
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import { DeviceOutbox, OUTBOX_LOCK_NAME, type DeviceOutboxDeps, type OutboxLocks } from "@/lib/client/outbox/outbox";
import { openOutboxStore } from "@/lib/client/outbox/store";
import type { OutboxEntry, OutboxInput } from "@/lib/client/outbox/types";

/** Timers the test fires by hand; fake-indexeddb keeps its real (macrotask) scheduling. */
class Clock {
  t = Date.parse("2025-03-01T10:00:00Z");
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

/** The Web Locks `request(name, {ifAvailable}, cb)` of one device, shared by its "tabs". */
class FakeLocks implements OutboxLocks {
  held = new Set<string>();
  async request(name: string, _options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void>) {
    if (this.held.has(name)) return callback(null);
    this.held.add(name);
    try {
      return await callback({ name });
    } finally {
      this.held.delete(name);
    }
  }
}

/** BroadcastChannel between the tabs of one device: delivered later, never to the sender. */
class ChannelHub {
  private members: { onmessage: ((ev: MessageEvent) => void) | null }[] = [];
  create() {
    const hub = this.members;
    const channel = {
      onmessage: null as ((ev: MessageEvent) => void) | null,
      postMessage(message: unknown) {
        for (const other of hub)
          if (other !== channel) setImmediate(() => other.onmessage?.({ data: structuredClone(message) } as MessageEvent));
      },
    };
    hub.push(channel);
    return channel;
  }
}

interface Call {
  path: string;
  method: string;
  key: string;
  body: unknown;
  signal: AbortSignal | null | undefined;
}
type Handler = (call: Call) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The server: applies each Idempotency-Key once and replays its answer after; `script` overrides the next calls. */
class FakeServer {
  calls: Call[] = [];
  script: Handler[] = [];
  applied = new Map<string, { path: string; n: number }>();
  delay = false;
  fetch: typeof fetch = async (input, init = {}) => {
    const headers = init.headers as Record<string, string>;
    const call: Call = {
      path: String(input),
      method: String(init.method),
      key: headers["idempotency-key"],
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      signal: init.signal,
    };
    this.calls.push(call);
    if (this.delay) await tick();
    const handler = this.script.shift() ?? this.handle;
    return handler(call);
  };
  handle = (call: Call): Response => {
    let record = this.applied.get(call.key);
    if (!record) {
      record = { path: call.path, n: this.applied.size + 1 };
      this.applied.set(call.key, record);
    }
    return json(200, { ok: true, path: record.path, n: record.n });
  };
  keys() {
    return this.calls.map((c) => c.key);
  }
  paths() {
    return this.calls.map((c) => c.path);
  }
}

const networkError: Handler = () => Promise.reject(new TypeError("fetch failed"));
/** Never answers; gives up only when the outbox aborts it. */
const hang: Handler = (call) =>
  new Promise((_resolve, reject) => call.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));

async function waitFor(condition: () => boolean | Promise<boolean>, what = "condition") {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

function input(scope: string, path: string, body: unknown = { n: 1 }): OutboxInput {
  return { kind: "batch.counts", scope, request: { method: "POST", path, body }, meta: { label: path } };
}

let factory: IDBFactory;
let clock: Clock;
let server: FakeServer;
let locks: FakeLocks;
let keyCount: number;
let applied: [OutboxEntry, unknown][];
let rejected: OutboxEntry[];
const outboxes: DeviceOutbox[] = [];

async function makeOutbox(extra: Partial<DeviceOutboxDeps> = {}) {
  const store = extra.store ?? (await openOutboxStore({ indexedDB: factory, name: "outbox-test" }));
  const outbox = new DeviceOutbox({
    store,
    fetch: server.fetch,
    locks,
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    random: () => 0.5, // jitter in the middle: delays come out exact
    newKey: () => `key-${++keyCount}`,
    listen: () => () => undefined,
    onApplied: (entry, body) => applied.push([entry, body]),
    onRejected: (entry) => rejected.push(entry),
    ...extra,
  });
  outboxes.push(outbox);
  return { outbox, store };
}

/** Enqueue while another "tab" holds the drain lock, so the entries all wait; then let go. */
async function enqueueHeld(outbox: DeviceOutbox, inputs: OutboxInput[]) {
  await outbox.drain(); // let the pass setUser started finish first
  expect(locks.held.size).toBe(0);
  locks.held.add(OUTBOX_LOCK_NAME);
  const entries: OutboxEntry[] = [];
  for (const i of inputs) entries.push(await outbox.enqueue(i));
  await outbox.drain();
  expect(server.calls).toHaveLength(0);
  locks.held.delete(OUTBOX_LOCK_NAME);
  return entries;
}

beforeEach(() => {
  for (const o of outboxes.splice(0)) o.stop();
  factory = new IDBFactory();
  clock = new Clock();
  server = new FakeServer();
  locks = new FakeLocks();
  keyCount = 0;
  applied = [];
  rejected = [];
});

describe("OutboxStore", () => {
  it("assigns seq in creation order, lists per user, updates, removes and names its users", async () => {
    const store = await openOutboxStore({ indexedDB: factory });
    const base = { kind: "k", scope: "s", request: { method: "POST" as const, path: "/p" }, meta: {}, status: "pending" as const };
    const rest = { attempts: 0, last_error: null, rejection: null, created_at: 1 };
    const a = await store.add({ ...base, ...rest, user: "alice", idempotency_key: "a" });
    const b = await store.add({ ...base, ...rest, user: "bob", idempotency_key: "b" });
    const c = await store.add({ ...base, ...rest, user: "alice", idempotency_key: "c" });
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect((await store.list("alice")).map((e) => e.idempotency_key)).toEqual(["a", "c"]);
    expect(await store.users()).toEqual(["alice", "bob"]);
    expect(await store.update(c.seq, { attempts: 2 })).toMatchObject({ seq: 3, attempts: 2, idempotency_key: "c" });
    expect(await store.update(99, { attempts: 2 })).toBeUndefined();
    await store.remove(a.seq);
    expect(await store.get(a.seq)).toBeUndefined();
    expect(await store.removeAllFor("alice")).toBe(1);
    expect(await store.users()).toEqual(["bob"]);
    store.close();
  });
});

describe("DeviceOutbox", () => {
  it("stores an entry before sending it; an unanswered send leaves it stored and a reloaded page sends it with the same key", async () => {
    const { outbox } = await makeOutbox();
    const probe = await openOutboxStore({ indexedDB: factory, name: "outbox-test" });
    const storedWhenSent: boolean[] = [];
    server.script.push(async (call) => {
      storedWhenSent.push((await probe.list("alice")).some((e) => e.idempotency_key === call.key));
      return new Promise<Response>(() => undefined); // the tablet loses Wi-Fi mid-request; the tab is closed
    });
    outbox.setUser("alice");
    const entry = await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    expect(entry).toMatchObject({ seq: 1, user: "alice", status: "pending", attempts: 0, idempotency_key: "key-1" });
    await waitFor(() => storedWhenSent.length === 1, "the send");
    expect(storedWhenSent).toEqual([true]);
    expect(await probe.list("alice")).toHaveLength(1);

    // The page reloads: a new outbox on the same database (the old tab's lock went with it).
    locks = new FakeLocks();
    const { outbox: reloaded } = await makeOutbox({ store: probe, locks });
    reloaded.setUser("alice");
    await waitFor(() => server.calls.length === 2, "the resend");
    await reloaded.drain();
    expect(server.keys()).toEqual(["key-1", "key-1"]);
    expect(await probe.list("alice")).toEqual([]);
  });

  it("sends strictly in seq order across scopes, and reports each answer", async () => {
    const { outbox, store } = await makeOutbox();
    outbox.setUser("alice");
    await enqueueHeld(outbox, [
      input("batch:1", "/api/batch/1/counts"),
      input("batch:2", "/api/batch/2/stage"),
      input("batch:1", "/api/batch/1/weight"),
      input("inventory", "/api/inventory/adjust"),
    ]);
    expect(outbox.getSnapshot().pending).toBe(4);
    await outbox.drain();
    expect(server.paths()).toEqual(["/api/batch/1/counts", "/api/batch/2/stage", "/api/batch/1/weight", "/api/inventory/adjust"]);
    expect(server.calls[0]).toMatchObject({ method: "POST", key: "key-1", body: { n: 1 } });
    expect(applied.map(([e, body]) => [e.seq, (body as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(await store.list("alice")).toEqual([]);
    expect(outbox.getSnapshot()).toMatchObject({ pending: 0, conflicts: 0, entries: [] });
  });

  describe.each([409, 422])("a refused change (%i)", (status) => {
    let outbox: DeviceOutbox;
    let first: OutboxEntry;
    let held: OutboxEntry;

    beforeEach(async () => {
      ({ outbox } = await makeOutbox());
      outbox.setUser("alice");
      server.script.push(() => json(status, { error: "Batch 1 is already in Papers", code: "stage_conflict" }));
      [first, , held] = await enqueueHeld(outbox, [
        input("batch:1", "/api/batch/1/stage"),
        input("batch:2", "/api/batch/2/counts"),
        input("batch:1", "/api/batch/1/counts"),
        input("batch:3", "/api/batch/3/counts"),
      ]);
      await outbox.drain();
    });

    it("becomes a conflict with the server's message; later entries of its scope are held, other scopes go on", () => {
      expect(server.paths()).toEqual(["/api/batch/1/stage", "/api/batch/2/counts", "/api/batch/3/counts"]);
      const snap = outbox.getSnapshot();
      expect(snap).toMatchObject({ pending: 1, conflicts: 1, paused: null, retryAt: null });
      expect(snap.entries.map((e) => [e.seq, e.status])).toEqual([
        [first.seq, "conflict"],
        [held.seq, "pending"],
      ]);
      expect(snap.entries[0].rejection).toEqual({ status, code: "stage_conflict", message: "Batch 1 is already in Papers", fields: {} });
      expect(rejected.map((e) => e.seq)).toEqual([first.seq]);
    });

    it("discarding the conflict releases its scope", async () => {
      await outbox.discard(first.seq);
      await outbox.drain();
      expect(server.paths().at(-1)).toBe("/api/batch/1/counts");
      expect(outbox.getSnapshot()).toMatchObject({ pending: 0, conflicts: 0, entries: [] });
    });

    it("retrying sends it again with a new key (the old one holds the refusal), then the held ones", async () => {
      await outbox.retry(first.seq);
      await outbox.drain();
      expect(server.calls.slice(3).map((c) => [c.path, c.key])).toEqual([
        ["/api/batch/1/stage", "key-5"],
        ["/api/batch/1/counts", held.idempotency_key],
      ]);
      expect(first.idempotency_key).toBe("key-1");
      expect(outbox.getSnapshot().entries).toEqual([]);
    });
  });

  it("a network error, a 500 and a timeout stop the queue, keep the order, retry with the same key; back-off grows and resets", async () => {
    const { outbox, store } = await makeOutbox();
    outbox.setUser("alice");
    server.script.push(networkError, () => json(500, { error: "db down" }), hang);
    await enqueueHeld(outbox, [input("batch:1", "/api/batch/1/counts"), input("batch:2", "/api/batch/2/counts")]);
    const start = clock.now();

    await outbox.drain();
    expect(server.keys()).toEqual(["key-1"]);
    expect(outbox.getSnapshot()).toMatchObject({ pending: 2, retryAt: start + 1000, lastError: "Network error: fetch failed" });
    expect((await store.get(1))?.attempts).toBe(1);

    clock.advance(999);
    await outbox.enqueue(input("batch:3", "/api/batch/3/counts")); // a new tap does not jump the back-off
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1"]);

    clock.advance(1);
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1"]);
    expect(outbox.getSnapshot()).toMatchObject({ retryAt: clock.now() + 2000, lastError: "Server answered 500: db down" });

    clock.advance(2000);
    await waitFor(() => server.calls.length === 3, "the third attempt");
    clock.advance(15_000); // the request timeout
    await outbox.drain();
    expect(outbox.getSnapshot()).toMatchObject({ retryAt: clock.now() + 4000, lastError: "The server did not answer in time" });

    clock.advance(4000);
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1", "key-1", "key-1", "key-2", "key-3"]);
    expect(outbox.getSnapshot()).toMatchObject({ pending: 0, retryAt: null, lastError: null });

    server.script.push(networkError);
    await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    await outbox.drain();
    expect(outbox.getSnapshot().retryAt).toBe(clock.now() + 1000); // reset by the success
  });

  it("429 waits for its Retry-After, then sends the same key", async () => {
    const { outbox } = await makeOutbox();
    outbox.setUser("alice");
    server.script.push(() => json(429, { error: "Too many requests" }, { "retry-after": "7" }));
    await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    await outbox.drain();
    expect(outbox.getSnapshot().retryAt).toBe(clock.now() + 7000);
    clock.advance(6999);
    await outbox.drain();
    expect(server.calls).toHaveLength(1);
    clock.advance(1);
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1"]);
    expect(outbox.getSnapshot().entries).toEqual([]);
  });

  it("request_in_progress is retried after Retry-After with the same key", async () => {
    const { outbox } = await makeOutbox();
    outbox.setUser("alice");
    server.script.push(() => json(409, { error: "still running", code: "request_in_progress" }, { "retry-after": "1" }));
    await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    await outbox.drain();
    expect(outbox.getSnapshot()).toMatchObject({ pending: 1, conflicts: 0, retryAt: clock.now() + 1000 });
    clock.advance(1000);
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1"]);
    expect(outbox.getSnapshot().entries).toEqual([]);
  });

  it("idempotent_response_lost removes the entry as applied, not as a conflict", async () => {
    const { outbox, store } = await makeOutbox();
    outbox.setUser("alice");
    server.script.push(() => json(409, { error: "applied, response lost", code: "idempotent_response_lost" }));
    await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    await outbox.drain();
    expect(await store.list("alice")).toEqual([]);
    expect(applied.map(([e, body]) => [e.seq, body])).toEqual([[1, null]]);
    expect(rejected).toEqual([]);
  });

  it("a lost response (the server applied it, the answer never came) is resent with the same key and applied once", async () => {
    const { outbox } = await makeOutbox();
    outbox.setUser("alice");
    server.script.push((call) => {
      server.handle(call);
      throw new TypeError("connection reset");
    });
    await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    await outbox.drain();
    expect(outbox.getSnapshot()).toMatchObject({ pending: 1, lastError: "Network error: connection reset" });
    clock.advance(1000);
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1"]);
    expect(server.applied.size).toBe(1);
    expect(applied).toHaveLength(1);
    expect(outbox.getSnapshot().entries).toEqual([]);
  });

  it("401 pauses: nothing else is sent (not even on a timer) until resumeAfterSignIn, which sends in order", async () => {
    const { outbox } = await makeOutbox();
    outbox.setUser("alice");
    outbox.start();
    server.script.push(() => json(401, { error: "Authentication required" }));
    await enqueueHeld(outbox, [input("batch:1", "/api/batch/1/counts"), input("batch:2", "/api/batch/2/counts")]);
    await outbox.drain();
    expect(outbox.getSnapshot()).toMatchObject({ paused: "auth", pending: 2 });
    await outbox.enqueue(input("batch:3", "/api/batch/3/counts"));
    clock.advance(120_000); // polls fire
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1"]);

    outbox.resumeAfterSignIn();
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1", "key-2", "key-3"]);
    expect(outbox.getSnapshot()).toMatchObject({ paused: null, pending: 0 });
  });

  it("never sends another user's entries; they stay stored until that user is back", async () => {
    const { outbox, store } = await makeOutbox();
    outbox.setUser("bob");
    await enqueueHeld(outbox, [input("batch:1", "/api/batch/1/counts")]);
    outbox.setUser(null);
    await expect(outbox.enqueue(input("batch:1", "/x"))).rejects.toThrow(/Not signed in/);

    outbox.setUser("alice");
    await outbox.enqueue(input("batch:2", "/api/batch/2/counts"));
    await outbox.drain();
    expect(server.paths()).toEqual(["/api/batch/2/counts"]);
    expect(outbox.getSnapshot()).toMatchObject({ user: "alice", entries: [] });
    expect((await store.list("bob")).map((e) => e.request.path)).toEqual(["/api/batch/1/counts"]);
    await outbox.discardAll(); // alice's: none; bob's untouched
    expect(await store.users()).toEqual(["bob"]);

    outbox.setUser("bob");
    await waitFor(() => server.calls.length === 2, "bob's entry");
    await outbox.drain();
    expect(await store.users()).toEqual([]);
  });

  it("two tabs sharing one database and one lock send every entry exactly once, in seq order", async () => {
    const hub = new ChannelHub();
    const { outbox: a, store } = await makeOutbox({ channel: hub.create() });
    const { outbox: b } = await makeOutbox({ channel: hub.create() });
    server.delay = true; // answers come a macrotask later, so sends overlap the other tab's writes
    for (const o of [a, b]) {
      o.setUser("alice");
      o.start();
    }
    const writes: Promise<OutboxEntry>[] = [];
    for (let i = 0; i < 12; i++) writes.push((i % 2 ? a : b).enqueue(input(`batch:${i % 3}`, `/api/batch/${i}/counts`)));
    const entries = await Promise.all(writes);
    await waitFor(async () => (await store.list("alice")).length === 0, "the queue to empty");

    const perKey = new Map<string, number>();
    for (const key of server.keys()) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    expect(perKey.size).toBe(12);
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
    const bySeq = [...entries].sort((x, y) => x.seq - y.seq).map((e) => e.idempotency_key);
    expect(server.keys()).toEqual(bySeq);
    await waitFor(() => a.getSnapshot().entries.length === 0 && b.getSnapshot().entries.length === 0, "both snapshots");
  });

  it("a tab learns of the drainer's back-off, so the tabs do not all retry at once", async () => {
    const hub = new ChannelHub();
    const { outbox: a } = await makeOutbox({ channel: hub.create() });
    const { outbox: b } = await makeOutbox({ channel: hub.create() });
    for (const o of [a, b]) {
      o.setUser("alice");
      o.start();
    }
    server.script.push(networkError);
    await a.enqueue(input("batch:1", "/api/batch/1/counts"));
    await a.drain();
    await waitFor(() => b.getSnapshot().retryAt !== null, "b to hear of the back-off");
    expect(b.getSnapshot()).toMatchObject({ retryAt: clock.now() + 1000, lastError: "Network error: fetch failed", pending: 1 });
    await b.drain();
    expect(server.calls).toHaveLength(1);
    clock.advance(1000);
    await Promise.all([a.drain(), b.drain()]);
    await waitFor(() => b.getSnapshot().entries.length === 0, "b's snapshot");
    expect(server.keys()).toEqual(["key-1", "key-1"]);
  });

  it("start wires the wake-ups: coming back online skips the back-off wait; stop removes them", async () => {
    let handlers: { online(): void; visible(): void } | null = null;
    const { outbox } = await makeOutbox({
      listen: (h) => {
        handlers = h;
        return () => {
          handlers = null;
        };
      },
    });
    outbox.setUser("alice");
    outbox.start();
    server.script.push(networkError, networkError);
    await outbox.enqueue(input("batch:1", "/api/batch/1/counts"));
    await outbox.drain();
    expect(outbox.getSnapshot().retryAt).toBe(clock.now() + 1000);
    handlers!.visible(); // visible alone does not jump the back-off
    await outbox.drain();
    expect(server.calls).toHaveLength(1);
    handlers!.online();
    await outbox.drain();
    expect(server.keys()).toEqual(["key-1", "key-1"]);
    expect(outbox.getSnapshot().retryAt).toBe(clock.now() + 2000); // the failure count was kept

    outbox.stop();
    expect(handlers).toBeNull();
    clock.advance(120_000); // no retry timer, no poll
    for (let i = 0; i < 20; i++) await tick();
    expect(server.calls).toHaveLength(2);
  });

  it("snapshot: counts, and the same object until something changes", async () => {
    const { outbox } = await makeOutbox();
    const seen: number[] = [];
    const unsubscribe = outbox.subscribe(() => seen.push(outbox.getSnapshot().pending));
    outbox.setUser("alice");
    await outbox.drain();
    const before = outbox.getSnapshot();
    expect(outbox.getSnapshot()).toBe(before);
    expect(before).toMatchObject({ user: "alice", entries: [], pending: 0, conflicts: 0, paused: null, retryAt: null, lastError: null });

    server.script.push(() => json(422, { error: "Weight out of range", details: { fields: { grams: ["Too heavy"] } } }));
    await enqueueHeld(outbox, [input("batch:1", "/a"), input("batch:1", "/b"), input("batch:2", "/c")]);
    expect(outbox.getSnapshot()).not.toBe(before);
    expect(outbox.getSnapshot()).toMatchObject({ pending: 3, conflicts: 0 });
    await outbox.drain();
    const after = outbox.getSnapshot();
    expect(after).toMatchObject({ pending: 1, conflicts: 1 });
    expect(after.entries[0].rejection?.fields).toEqual({ grams: ["Too heavy"] });
    await outbox.drain(); // nothing to send: nothing changed
    expect(outbox.getSnapshot()).toBe(after);
    expect(seen.length).toBeGreaterThan(0);

    unsubscribe();
    const count = seen.length;
    await outbox.discardAll();
    expect(outbox.getSnapshot()).toMatchObject({ pending: 0, conflicts: 0, entries: [] });
    expect(seen).toHaveLength(count);
  });
});
