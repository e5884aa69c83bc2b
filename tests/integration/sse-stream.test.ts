import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { createPrismaClient, db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { eventStreamHubState, openEventStreamCount } from "@/lib/events/sse";
import { ORIGIN } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as streamRoute from "@/app/api/events/stream/route";

/**
 * GET /api/events/stream, read in-process from the route handler's Response body: backlog, live
 * events (this process's commits and another connection's), resume, filters, heartbeat, and that
 * every way a stream ends leaves no listener, timer or registry entry behind.
 */

const ENV = {
  EVENTS_SSE_POLL_MS: "50",
  EVENTS_SSE_MAX_MS: "60000",
  EVENTS_SSE_PAGE_SIZE: "3",
  EVENTS_SSE_HEARTBEAT_MS: "60000",
  EVENTS_SSE_STALL_MS: "60000",
};
const saved: Record<string, string | undefined> = {};
let p: Awaited<ReturnType<typeof createPrincipals>>;
const other = createPrismaClient(); // another connection: its commits reach no in-process listener

beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  p = await createPrincipals();
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await other.$disconnect();
});

interface Message {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

function parseBlock(block: string): Message {
  const m: Message = { comments: [] };
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) m.comments.push(line.slice(1).trim());
    else {
      const i = line.indexOf(":");
      const field = line.slice(0, i) as "id" | "event" | "data" | "retry";
      m[field] = line.slice(i + 1).replace(/^ /, "");
    }
  }
  return m;
}

/** Reads an SSE body block by block, with timeouts, without ever holding two reads at once. */
class SseReader {
  private buffer = "";
  private pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  private readonly decoder = new TextDecoder();
  readonly raw: string[] = [];
  done = false;
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads until `pred` holds over the messages received so far; returns them. */
  async until(pred: (messages: Message[]) => boolean, timeoutMs = 3000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.messages())) {
      if (this.done) throw new Error(`stream ended; got ${JSON.stringify(this.raw)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.raw)}`);
      this.pending ??= this.reader.read();
      const result = await Promise.race([this.pending, new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (result === null) continue;
      this.pending = null;
      if (result.done) {
        this.done = true;
        continue;
      }
      this.buffer += this.decoder.decode(result.value, { stream: true });
      let i: number;
      while ((i = this.buffer.indexOf("\n\n")) >= 0) {
        this.raw.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 2);
      }
    }
    return this.messages();
  }

  messages(): Message[] {
    return this.raw.map(parseBlock);
  }

  events() {
    return this.messages()
      .filter((m) => m.data !== undefined)
      .map((m) => ({ id: Number(m.id), event: m.event, envelope: JSON.parse(m.data!) }));
  }

  /** Reads to the end (the stream must end within the timeout). */
  async end(timeoutMs = 3000): Promise<void> {
    await this.until(() => this.done, timeoutMs).catch((err: Error) => {
      if (!this.done) throw err;
    });
  }
}

async function open(path: string, headers: Record<string, string> = p.headers.viewer) {
  const controller = new AbortController();
  const req = new NextRequest(new URL(path, ORIGIN), { headers: { host: "localhost:3000", ...headers }, signal: controller.signal });
  const res = await streamRoute.GET(req, { params: Promise.resolve({}) });
  let reader: SseReader | null = null;
  return {
    res,
    controller,
    /** Locks the body on first use. */
    get reader(): SseReader {
      return (reader ??= new SseReader(res.body!.getReader()));
    },
  };
}

async function headId(): Promise<number> {
  return (await db.event.aggregate({ _max: { id: true } }))._max.id ?? 0;
}

const emit = (key: string) => mutate(systemContext("sse-test"), (m) => m.emit("setting.updated", { key }));
const emitKey = (name: string) =>
  mutate(systemContext("sse-test"), (m) => m.emit("api_key.created", { api_key_id: name, name, prefix: "prt_x" }));
const dataEvents = (ms: Message[]) => ms.filter((m) => m.data !== undefined);

afterEach(async () => {
  // Every test closes what it opened; wait for the aborts to settle, then insist on it.
  await vi.waitFor(() => expect(openEventStreamCount()).toBe(0), { timeout: 2000 });
});

describe("GET /api/events/stream", () => {
  it("answers at once with SSE headers, no compression, and a retry hint", async () => {
    const { res, reader, controller } = await open("/api/events/stream");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("connection")).toBe("keep-alive");
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("x-trace-id")).toBeTruthy();
    const [first] = await reader.until((ms) => ms.length >= 1);
    expect(first).toMatchObject({ retry: "3000", comments: ["connected"] });
    controller.abort();
  });

  it("sends the backlog in id order (in pages), then a live event committed with mutate()", async () => {
    const start = await headId();
    const backlog = [];
    for (let i = 0; i < 7; i++) backlog.push(await emit(`backlog-${i}`));
    const { reader, controller } = await open(`/api/events/stream?after=${start}`);
    await reader.until((ms) => dataEvents(ms).length >= 7);
    expect(reader.events().map((e) => e.id)).toEqual(backlog.map((e) => e.id));

    const live = await emit("live-1");
    await reader.until((ms) => dataEvents(ms).length >= 8);
    const events = reader.events();
    expect(events.map((e) => e.id)).toEqual([...backlog, live].map((e) => e.id));
    // Exactly `id: <id>\nevent: <type>\ndata: <envelope JSON>`.
    const block = reader.raw.find((b) => b.startsWith(`id: ${live.id}\n`));
    expect(block).toBe(`id: ${live.id}\nevent: setting.updated\ndata: ${JSON.stringify(live)}`);
    expect(events[7].envelope).toEqual({
      id: live.id,
      type: "setting.updated",
      payload: { key: "live-1" },
      metadata: { timestamp: live.metadata.timestamp, actor: "sse-test", traceId: live.metadata.traceId, source: "system" },
    });
    controller.abort();
  });

  it("resumes after Last-Event-ID (which wins over ?after=) and skips what was seen", async () => {
    const start = await headId();
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await emit(`resume-${i}`));
    const { reader, controller } = await open(`/api/events/stream?after=${start}`, {
      ...p.headers.apiKey,
      "last-event-id": String(sent[2].id),
    });
    await reader.until((ms) => dataEvents(ms).length >= 2);
    const next = await emit("resume-live");
    await reader.until((ms) => dataEvents(ms).length >= 3);
    expect(reader.events().map((e) => e.id)).toEqual([sent[3].id, sent[4].id, next.id]);
    controller.abort();
  });

  it("delivers commits by another connection (the worker) through the data_version poll", async () => {
    const start = await headId();
    const { reader, controller } = await open(`/api/events/stream?after=${start}`);
    await reader.until((ms) => ms.length >= 1);
    const row = await other.event.create({
      data: { type: "setting.updated", payload: { key: "from-worker" }, actor: "worker", trace_id: "t-worker", source: "worker" },
    });
    await reader.until((ms) => dataEvents(ms).length >= 1, 2000);
    expect(reader.events()).toEqual([
      { id: row.id, event: "setting.updated", envelope: expect.objectContaining({ id: row.id, payload: { key: "from-worker" } }) },
    ]);
    // …and in-process and other-process commits interleave in id order, each once.
    const a = await emit("mix-a");
    const b = await other.event.create({
      data: { type: "setting.updated", payload: { key: "mix-b" }, actor: "worker", trace_id: "t", source: "worker" },
    });
    const c = await emit("mix-c");
    await reader.until((ms) => dataEvents(ms).length >= 4, 2000);
    expect(reader.events().map((e) => e.id)).toEqual([row.id, a.id, b.id, c.id]);
    controller.abort();
  });

  it("filters backlog and live events by type glob", async () => {
    const start = await headId();
    const k1 = await emitKey("k1");
    await emit("not-me");
    const k2 = await emitKey("k2");
    const { reader, controller } = await open(`/api/events/stream?after=${start}&type=api_key.*`);
    await reader.until((ms) => dataEvents(ms).length >= 2);
    await emit("not-me-either");
    const k3 = await emitKey("k3");
    await reader.until((ms) => dataEvents(ms).length >= 3);
    expect(reader.events().map((e) => [e.id, e.event])).toEqual([
      [k1.id, "api_key.created"],
      [k2.id, "api_key.created"],
      [k3.id, "api_key.created"],
    ]);
    controller.abort();
  });

  it("without a cursor starts live and announces its position for EventSource's Last-Event-ID", async () => {
    await emit("history");
    const head = await headId();
    const { reader, controller } = await open("/api/events/stream");
    const ms = await reader.until((m) => m.some((x) => x.id !== undefined));
    expect(ms.find((x) => x.id !== undefined)).toEqual({ id: String(head), comments: [] });
    const live = await emit("after-connect");
    await reader.until((m) => dataEvents(m).length >= 1);
    expect(reader.events().map((e) => e.id)).toEqual([live.id]);
    controller.abort();
  });

  it("sends a `: ping` heartbeat at the configured interval", async () => {
    process.env.EVENTS_SSE_HEARTBEAT_MS = "40";
    try {
      const { reader, controller } = await open("/api/events/stream");
      const started = Date.now();
      await reader.until((ms) => ms.filter((m) => m.comments.includes("ping")).length >= 2, 1000);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(reader.raw.filter((b) => b === ": ping").length).toBeGreaterThanOrEqual(2);
      controller.abort();
    } finally {
      process.env.EVENTS_SSE_HEARTBEAT_MS = ENV.EVENTS_SSE_HEARTBEAT_MS;
    }
  });

  it("never sends an event whose transaction has not committed", async () => {
    const start = await headId();
    const { reader, controller } = await open(`/api/events/stream?after=${start}`);
    await reader.until((ms) => ms.length >= 1);
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const rolledBack = mutate(systemContext(), async (m) => {
      await m.emit("setting.updated", { key: "never" });
      await hold;
      throw new Error("roll back");
    }).catch(() => "rolled back");
    await new Promise((r) => setTimeout(r, 200)); // several poll intervals with the row written, uncommitted
    release();
    await rolledBack;
    const real = await emit("real");
    await reader.until((ms) => dataEvents(ms).length >= 1);
    expect(reader.events().map((e) => e.envelope.payload)).toEqual([{ key: "real" }]);
    expect(reader.events()[0].id).toBe(real.id);
    controller.abort();
  });
});

describe("GET /api/events/stream: auth and validation", () => {
  it("401 without credentials, 400 for a bad Last-Event-ID or limit-like junk", async () => {
    const anonymous = await open("/api/events/stream", {});
    expect(anonymous.res.status).toBe(401);
    expect(await anonymous.res.json()).toMatchObject({ error: expect.any(String), code: "unauthorized" });
    const badHeader = await open("/api/events/stream", { ...p.headers.viewer, "last-event-id": "abc" });
    expect(badHeader.res.status).toBe(400);
    expect(await badHeader.res.json()).toMatchObject({
      code: "validation_failed",
      details: { fields: { "last-event-id": expect.any(Array) } },
    });
    expect((await open("/api/events/stream?after=-5")).res.status).toBe(400);
    expect((await open("/api/events/stream?type=bad%20glob")).res.status).toBe(400);
    expect(openEventStreamCount()).toBe(0);
  });
});

describe("GET /api/events/stream: every end cleans up", () => {
  /** Timers created from lib/events/sse.ts, and whether each was cleared. */
  function trackSseTimers() {
    const created = new Map<unknown, { kind: string; cleared: boolean }>();
    const fromSse = () => (new Error().stack ?? "").includes("events/sse");
    const realSetTimeout = globalThis.setTimeout;
    const realSetInterval = globalThis.setInterval;
    const realClearTimeout = globalThis.clearTimeout;
    const realClearInterval = globalThis.clearInterval;
    const spies = [
      vi.spyOn(globalThis, "setInterval").mockImplementation(((fn: () => void, ms?: number) => {
        const t = realSetInterval(fn, ms);
        if (fromSse()) created.set(t, { kind: "interval", cleared: false });
        return t;
      }) as typeof setInterval),
      vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
        const t = realSetTimeout(fn, ms);
        if (fromSse()) created.set(t, { kind: "timeout", cleared: false });
        return t;
      }) as typeof setTimeout),
      vi.spyOn(globalThis, "clearInterval").mockImplementation(((t: NodeJS.Timeout) => {
        const entry = created.get(t);
        if (entry) entry.cleared = true;
        realClearInterval(t);
      }) as typeof clearInterval),
      vi.spyOn(globalThis, "clearTimeout").mockImplementation(((t: NodeJS.Timeout) => {
        const entry = created.get(t);
        if (entry) entry.cleared = true;
        realClearTimeout(t);
      }) as typeof clearTimeout),
    ];
    return {
      created,
      live: () => [...created.values()].filter((e) => !e.cleared).length,
      restore: () => spies.forEach((s) => s.mockRestore()),
    };
  }

  it("client disconnect (req.signal abort) removes the stream, the hub's listener and poll timer, and every timer", async () => {
    const timers = trackSseTimers();
    try {
      const start = await headId();
      const a = await open(`/api/events/stream?after=${start}`);
      const b = await open("/api/events/stream?type=batch.*", p.headers.apiKey);
      await a.reader.until((ms) => ms.length >= 1);
      await b.reader.until((ms) => ms.some((m) => m.id !== undefined));
      expect(openEventStreamCount()).toBe(2);
      expect(eventStreamHubState()).toMatchObject({ streams: 2, polling: true, listening: true });
      // Per stream a heartbeat and a lifetime timer, plus the hub's poll.
      expect(timers.created.size).toBe(5);
      expect(timers.live()).toBe(5);

      a.controller.abort();
      expect(openEventStreamCount()).toBe(1);
      expect(eventStreamHubState()).toMatchObject({ polling: true, listening: true });
      b.controller.abort();
      expect(openEventStreamCount()).toBe(0);
      expect(eventStreamHubState()).toEqual({ streams: 0, polling: false, listening: false, head: null });
      expect(timers.live()).toBe(0);
      await a.reader.end();
      await b.reader.end();

      // A commit now reaches nobody and starts nothing.
      await emit("after-abort");
      expect(eventStreamHubState()).toMatchObject({ polling: false, listening: false });
      expect(timers.live()).toBe(0);
    } finally {
      timers.restore();
    }
  });

  it("the reader cancelling the body cleans up the same way", async () => {
    const timers = trackSseTimers();
    try {
      const { res } = await open("/api/events/stream");
      const reader = res.body!.getReader();
      await reader.read();
      expect(openEventStreamCount()).toBe(1);
      await reader.cancel();
      expect(openEventStreamCount()).toBe(0);
      expect(eventStreamHubState()).toMatchObject({ polling: false, listening: false });
      expect(timers.live()).toBe(0);
    } finally {
      timers.restore();
    }
  });

  it("an already aborted request gets an empty, closed stream", async () => {
    const controller = new AbortController();
    controller.abort();
    const req = new NextRequest(new URL("/api/events/stream", ORIGIN), {
      headers: { host: "localhost:3000", ...p.headers.viewer },
      signal: controller.signal,
    });
    const res = await streamRoute.GET(req, { params: Promise.resolve({}) });
    expect(await res.text()).toBe("");
    expect(openEventStreamCount()).toBe(0);
  });

  it("ends by itself after EVENTS_SSE_MAX_MS, so a caller reading the whole body finishes", async () => {
    process.env.EVENTS_SSE_MAX_MS = "150";
    try {
      const { res } = await open("/api/events/stream");
      const started = Date.now();
      const text = await res.text();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(text.startsWith(": connected\nretry: 3000\n\n")).toBe(true);
      expect(openEventStreamCount()).toBe(0);
    } finally {
      process.env.EVENTS_SSE_MAX_MS = ENV.EVENTS_SSE_MAX_MS;
    }
  });

  it("a client that stops reading gets a bounded queue (paged backlog) and is closed after EVENTS_SSE_STALL_MS", async () => {
    const start = await headId();
    await db.event.createMany({
      data: Array.from({ length: 800 }, (_, i) => ({
        type: "setting.updated",
        payload: { key: `bulk-${i}`, pad: "x".repeat(100) },
        actor: "t",
        trace_id: "t",
        source: "system",
      })),
    });
    process.env.EVENTS_SSE_STALL_MS = "150";
    process.env.EVENTS_SSE_HEARTBEAT_MS = "30";
    try {
      const { reader } = await open(`/api/events/stream?after=${start}`);
      // Nobody reads: the backlog stops at the queue's high-water mark, then the stream gives up.
      await vi.waitFor(() => expect(openEventStreamCount()).toBe(0), { timeout: 3000 });
      await reader.end();
      const got = reader.events().length;
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThan(800);
    } finally {
      process.env.EVENTS_SSE_STALL_MS = ENV.EVENTS_SSE_STALL_MS;
      process.env.EVENTS_SSE_HEARTBEAT_MS = ENV.EVENTS_SSE_HEARTBEAT_MS;
    }
  });

  it("a slow reader still gets every event once, in order (catch-up from the database when behind)", async () => {
    const start = await headId();
    const { reader, controller } = await open(`/api/events/stream?after=${start}`);
    await reader.until((ms) => ms.length >= 1);
    await db.event.createMany({
      data: Array.from({ length: 600 }, (_, i) => ({
        type: "setting.updated",
        payload: { key: `burst-${i}`, pad: "y".repeat(150) },
        actor: "t",
        trace_id: "t",
        source: "system",
      })),
    });
    for (let i = 0; i < 5; i++) await emit(`burst-live-${i}`);
    await reader.until((ms) => dataEvents(ms).length >= 605, 10_000);
    const want = (await db.event.findMany({ where: { id: { gt: start } }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
    expect(reader.events().map((e) => e.id)).toEqual(want);
    controller.abort();
  });
});
