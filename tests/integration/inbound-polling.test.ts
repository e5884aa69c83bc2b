import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { createFinishedGood } from "@/lib/domain/finished-goods/create-finished-good";
import { createEventSource, updateEventSource } from "@/lib/events/sources/service";
import { pollDueSources, pollingJobIntervalSeconds, pollSource } from "@/lib/events/sources/poll";
import { createEventSourceSchema } from "@/lib/events/sources/schemas";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { metrcTag } from "@/prisma/seed/batch";
import { Scheduler } from "@/lib/jobs/scheduler";
import { inboundPollingJob } from "@/lib/jobs/registry";
import * as pollRoute from "@/app/api/webhooks/poll-events/route";
import * as eventsRoute from "@/app/api/webhooks/events/route";
import * as reprocessRoute from "@/app/api/webhooks/events/[id]/reprocess/route";
import * as sourcesRoute from "@/app/api/admin/event-sources/route";
import * as sourceRoute from "@/app/api/admin/event-sources/[id]/route";

/**
 * Inbound polling (SPEC §4.4, seed 003) against a real remote feed: a node:http server on an
 * ephemeral port that serves `{events, lastEventId, hasMore}` pages by `after`/`limit` and
 * checks an auth header, as an external system would.
 */

interface RemoteEvent {
  id: string;
  type: string;
  [k: string]: unknown;
}
interface Feed {
  events: RemoteEvent[];
  /** Header (lower case) and value the feed insists on. */
  auth?: [string, string];
  /** Answer this status with a text body instead of the feed (per request number, from 0). */
  fail?: (n: number) => { status: number; body: string } | null;
  /** Body text instead of JSON. */
  raw?: string;
  delayMs?: number;
  /** Runs before the answer (simulates something else happening meanwhile). */
  beforeReply?: (n: number) => Promise<void>;
  requests: { after: string | null; limit: number; headers: http.IncomingHttpHeaders }[];
}

const feeds = new Map<string, Feed>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const feed = feeds.get(url.pathname);
    if (!feed) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("no such feed");
      return;
    }
    const n = feed.requests.length;
    const after = url.searchParams.get("after");
    const limit = Number(url.searchParams.get("limit") ?? 100);
    feed.requests.push({ after, limit, headers: req.headers });
    const send = (status: number, body: string, type = "application/json") =>
      setTimeout(() => {
        void (feed.beforeReply?.(n) ?? Promise.resolve()).then(() => {
          if (res.destroyed) return;
          res.writeHead(status, { "content-type": type });
          res.end(body);
        });
      }, feed.delayMs ?? 0);
    if (feed.auth && req.headers[feed.auth[0]] !== feed.auth[1]) return send(401, JSON.stringify({ error: "bad credentials" }));
    const failure = feed.fail?.(n);
    if (failure) return send(failure.status, failure.body, "text/plain");
    if (feed.raw !== undefined) return send(200, feed.raw, "text/html");
    const start = after === null ? 0 : feed.events.findIndex((e) => e.id === after) + 1;
    const page = feed.events.slice(start, start + limit);
    const hasMore = start + limit < feed.events.length;
    send(200, JSON.stringify({ events: page, lastEventId: page.length ? page[page.length - 1].id : after, hasMore }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const admin = systemContext("admin", "web");
let seq = 0;
let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

beforeEach(async () => {
  // Each test owns its sources: earlier ones stop taking part in "poll all".
  await db.eventSource.updateMany({ data: { active: false } });
});

function newFeed(events: RemoteEvent[] = [], extra: Partial<Feed> = {}): { path: string; feed: Feed } {
  const path = `/feed-${++seq}`;
  const feed: Feed = { events, requests: [], ...extra };
  feeds.set(path, feed);
  return { path, feed };
}

async function newSource(path: string, extra: Partial<Parameters<typeof createEventSourceSchema.parse>[0]> = {}) {
  const input = createEventSourceSchema.parse({
    name: `src-${seq}-${Math.random().toString(36).slice(2, 7)}`,
    url: `${base}${path}`,
    ...extra,
  });
  const view = await createEventSource(admin, input);
  return db.eventSource.findUniqueOrThrow({ where: { id: view.id } });
}

const plain = (n: number, prefix = "evt"): RemoteEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i + 1}`,
    type: "OFFER_UPDATED",
    occurredAt: "2025-01-01T12:00:00Z",
    offer: { id: `offer-${i + 1}` },
  }));

async function newPackage(grams = 500) {
  const metrc = metrcTag();
  await createFinishedGood(admin, { metrc_number: metrc, strain: "Blue Dream", grams });
  return metrc;
}

const apexOrder = (id: string, metrc: string, grams: number): RemoteEvent => ({
  id,
  type: "ORDER_CREATED",
  occurredAt: "2025-01-01T12:00:00Z",
  order: { id: `order-${id}`, status: "NEW", metrc_number: metrc, grams },
});

const reloadSource = (id: string) => db.eventSource.findUniqueOrThrow({ where: { id } });
const inbound = (sourceId: string) => db.inboundEvent.findMany({ where: { source_id: sourceId }, orderBy: { id: "asc" } });

describe("polling a source", () => {
  it("follows hasMore pages with the auth header, stores every event and persists the cursor", async () => {
    const { path, feed } = newFeed(plain(5), { auth: ["x-feed-key", "k-0123456789abcdef"] });
    const source = await newSource(path, { limit: 2, auth_header: "X-Feed-Key: k-0123456789abcdef" });

    const summary = await pollSource(db, source);
    expect(summary).toMatchObject({
      status: "ok",
      error: null,
      pages: 3,
      received: 5,
      duplicates: 0,
      ignored: 5,
      processed: 0,
      failed: 0,
      cursor: "evt-5",
      has_more: false,
    });
    expect(feed.requests.map((r) => [r.after, r.limit])).toEqual([
      [null, 2],
      ["evt-2", 2],
      ["evt-4", 2],
    ]);
    expect(feed.requests.every((r) => r.headers["x-feed-key"] === "k-0123456789abcdef")).toBe(true);

    const rows = await inbound(source.id);
    expect(rows.map((r) => r.source_event_id)).toEqual(["evt-1", "evt-2", "evt-3", "evt-4", "evt-5"]);
    // Seed 003 puts the body beside id/type: it is kept as the payload.
    expect(rows[0]).toMatchObject({
      type: "OFFER_UPDATED",
      mapped_type: null,
      status: "ignored",
      error: null,
      payload: { occurredAt: "2025-01-01T12:00:00Z", offer: { id: "offer-1" } },
    });
    const s = await reloadSource(source.id);
    expect(s).toMatchObject({ cursor: "evt-5", last_status: "ok", last_error: null });
    expect(s.last_polled_at).not.toBeNull();

    const received = await db.event.findMany({ where: { type: "inbound.received" }, orderBy: { id: "asc" } });
    const mine = received.filter((e) => (e.payload as { source_id?: string }).source_id === source.id);
    expect(mine).toHaveLength(5);
    expect(mine[0].payload).toMatchObject({
      source: source.name,
      source_event_id: "evt-1",
      type: "OFFER_UPDATED",
      status: "ignored",
      mapped_type: null,
      inbound_event_id: rows[0].id,
    });
  });

  it("stores nothing twice when the feed serves the same events again", async () => {
    const { path, feed } = newFeed(plain(3));
    const source = await newSource(path);
    expect((await pollSource(db, source)).ignored).toBe(3);
    const eventsBefore = await db.event.count({ where: { type: "inbound.received" } });

    // Rewound (or a remote that ignores `after`): the same three come back.
    await updateEventSource(admin, source.id, { cursor: null });
    const again = await pollSource(db, await reloadSource(source.id));
    expect(again).toMatchObject({ status: "ok", received: 3, duplicates: 3, ignored: 0, processed: 0, cursor: "evt-3" });
    expect(feed.requests.map((r) => r.after)).toEqual([null, null]);
    expect(await inbound(source.id)).toHaveLength(3);
    expect(await db.event.count({ where: { type: "inbound.received" } })).toBe(eventsBefore);
  });

  it("restarts from the stored cursor, not from the caller's copy of the source", async () => {
    const { path, feed } = newFeed(plain(2));
    const stale = await newSource(path);
    await pollSource(db, stale);
    feed.events.push(...plain(4).slice(2));

    // `stale` still says cursor null (as a process that loaded it before the first poll would).
    expect(stale.cursor).toBeNull();
    const summary = await pollSource(db, stale);
    expect(feed.requests.map((r) => r.after)).toEqual([null, "evt-2"]);
    expect(summary).toMatchObject({ received: 2, duplicates: 0, ignored: 2, cursor: "evt-4" });
    expect((await inbound(stale.id)).map((r) => r.source_event_id)).toEqual(["evt-1", "evt-2", "evt-3", "evt-4"]);
  });

  it("keeps the cursor of every stored page when a later page fails, and resumes there", async () => {
    const { path, feed } = newFeed(plain(4), { fail: (n) => (n === 1 ? { status: 500, body: "database on fire" } : null) });
    const source = await newSource(path, { limit: 2 });

    const first = await pollSource(db, source);
    expect(first).toMatchObject({ status: "http_error", pages: 1, received: 2, cursor: "evt-2" });
    expect(first.error).toBe("HTTP 500 Internal Server Error: database on fire");
    expect(await reloadSource(source.id)).toMatchObject({
      cursor: "evt-2",
      last_status: "http_error",
      last_error: "HTTP 500 Internal Server Error: database on fire",
    });

    const second = await pollSource(db, source);
    expect(second).toMatchObject({ status: "ok", received: 2, duplicates: 0, cursor: "evt-4" });
    expect(feed.requests.map((r) => r.after)).toEqual([null, "evt-2", "evt-2"]);
    expect(await reloadSource(source.id)).toMatchObject({ last_status: "ok", last_error: null });
    expect(await inbound(source.id)).toHaveLength(4);
  });

  it("does not overwrite a cursor moved elsewhere while a page was being read", async () => {
    const { path, feed } = newFeed(plain(6));
    const source = await newSource(path, { limit: 2 });
    // An admin rewinds/skips (or another process polls) while page 2 is in flight.
    feed.beforeReply = async (n) => {
      if (n === 1) await updateEventSource(admin, source.id, { cursor: "evt-5" });
    };
    const summary = await pollSource(db, source);
    expect(feed.requests.map((r) => r.after)).toEqual([null, "evt-2"]);
    expect(summary).toMatchObject({ status: "ok", pages: 2, received: 4, cursor: "evt-5" });
    expect((await reloadSource(source.id)).cursor).toBe("evt-5");
    // The next poll continues from there.
    feed.beforeReply = undefined;
    expect(await pollSource(db, source)).toMatchObject({ received: 1, cursor: "evt-6" });
  });

  it("records a 404 on the source without throwing; the next poll retries", async () => {
    const source = await newSource("/no-such-feed");
    const summary = await pollSource(db, source);
    expect(summary).toMatchObject({ status: "http_error", error: "HTTP 404 Not Found: no such feed", pages: 0, received: 0, cursor: null });
    expect(await reloadSource(source.id)).toMatchObject({
      last_status: "http_error",
      last_error: "HTTP 404 Not Found: no such feed",
      cursor: null,
    });

    // The feed appears: the next poll simply works.
    feeds.set("/no-such-feed", { events: plain(1), requests: [] });
    expect(await pollSource(db, source)).toMatchObject({ status: "ok", ignored: 1 });
    expect(await reloadSource(source.id)).toMatchObject({ last_status: "ok", last_error: null, cursor: "evt-1" });
  });

  it("records wrong credentials, a missing auth header, bad JSON, a wrong shape and a timeout", async () => {
    const secured = newFeed(plain(1), { auth: ["authorization", "Bearer right-token-123456"] });
    const wrong = await newSource(secured.path, { auth_header: "Bearer wrong-token-123456" });
    expect(await pollSource(db, wrong)).toMatchObject({
      status: "http_error",
      error: 'HTTP 401 Unauthorized: {"error":"bad credentials"}',
    });
    const none = await newSource(secured.path);
    expect((await pollSource(db, none)).status).toBe("http_error");
    // The value-only form goes in Authorization.
    const right = await newSource(secured.path, { auth_header: "Bearer right-token-123456" });
    expect(await pollSource(db, right)).toMatchObject({ status: "ok", ignored: 1 });
    expect(await reloadSource(wrong.id)).toMatchObject({ last_status: "http_error", cursor: null });
    expect(await inbound(wrong.id)).toHaveLength(0);

    const html = await newSource(newFeed([], { raw: "<html>maintenance</html>" }).path);
    expect(await pollSource(db, html)).toMatchObject({ status: "invalid_response", error: "Invalid JSON: <html>maintenance</html>" });
    expect(await reloadSource(html.id)).toMatchObject({
      last_status: "invalid_response",
      last_error: "Invalid JSON: <html>maintenance</html>",
    });

    const shape = await newSource(newFeed([], { raw: '{"items_were_renamed": []}' }).path);
    expect(await pollSource(db, shape)).toMatchObject({
      status: "invalid_response",
      error: "Unexpected response: Expected a JSON object with an events array",
    });

    const slow = await newSource(newFeed(plain(1), { delayMs: 2000 }).path);
    expect(await pollSource(db, slow, { timeoutMs: 200 })).toMatchObject({
      status: "timeout",
      error: "Timed out after 200 ms",
      received: 0,
    });
    expect(await reloadSource(slow.id)).toMatchObject({ last_status: "timeout", cursor: null });
  });

  it("skips events without an id or type and says so on the source", async () => {
    const { path } = newFeed([
      { id: "ok-1", type: "X" },
      { type: "NO_ID" } as unknown as RemoteEvent,
      { id: "no-type" } as unknown as RemoteEvent,
    ]);
    const source = await newSource(path);
    expect(await pollSource(db, source)).toMatchObject({ status: "ok", received: 1, invalid: 2, ignored: 1, cursor: "no-type" });
    expect(await reloadSource(source.id)).toMatchObject({ last_status: "ok", last_error: "2 event(s) without an id or type were skipped" });
  });
});

describe("routing mapped types to handlers", () => {
  it("an Apex order raises grams_ordered on its finished good, with history, audit and events in one transaction", async () => {
    const metrc = await newPackage(500);
    const { path } = newFeed([
      apexOrder("o-1", metrc.toLowerCase(), 28),
      { id: "o-2", type: "ORDER_SENT", order: { id: "x" } },
      apexOrder("o-3", metrc, 3.5),
    ]);
    const src = await newSource(path, { type_mapping: { ORDER_CREATED: "apex.order" } });

    const summary = await pollSource(db, src);
    expect(summary).toMatchObject({ status: "ok", received: 3, processed: 2, ignored: 1, failed: 0 });
    const fg = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
    expect(fg.grams_ordered).toBe(31.5);
    expect(fg.current_grams).toBe(500);

    const rows = await inbound(src.id);
    expect(rows.map((r) => [r.source_event_id, r.status, r.mapped_type])).toEqual([
      ["o-1", "processed", "apex.order"],
      ["o-2", "ignored", null],
      ["o-3", "processed", "apex.order"],
    ]);
    expect(rows[0].processed_at).not.toBeNull();

    const audit = await db.auditLog.findMany({
      where: { entity: "finished_good", entity_id: metrc, field: "grams_ordered" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.old, a.new])).toEqual([
      ["0", "28"],
      ["28", "31.5"],
    ]);
    const ordered = await db.event.findMany({ where: { type: "finished_good.ordered" }, orderBy: { id: "asc" } });
    const forFg = ordered.filter((e) => (e.payload as { metrc_number: string }).metrc_number === metrc);
    expect(forFg.map((e) => e.payload)).toEqual([
      expect.objectContaining({ grams_ordered: 28, action: "order" }),
      expect.objectContaining({ grams_ordered: 31.5, action: "order" }),
    ]);
    // The inbound record and the order are one change: same trace.
    const received = await db.event.findFirstOrThrow({ where: { type: "inbound.received", trace_id: forFg[0].trace_id } });
    expect(received.payload).toMatchObject({ source_event_id: "o-1", status: "processed", mapped_type: "apex.order" });
    expect(audit[0].trace_id).toBe(forFg[0].trace_id);
    const history = await db.finishedGoodHistory.findFirst({
      where: { metrc_number: metrc, change_type: "order" },
      orderBy: { id: "asc" },
    });
    expect(history).toMatchObject({ grams_changed: 28, grams_ordered: 28, reason: `Apex order order-o-1 via ${src.name} event o-1` });

    // Served again: nothing is ordered twice.
    await updateEventSource(admin, src.id, { cursor: null });
    expect(await pollSource(db, await reloadSource(src.id))).toMatchObject({ duplicates: 3, processed: 0 });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).grams_ordered).toBe(31.5);
  });

  it("maps by glob, and takes an order's line items and a payload/data body", async () => {
    const a = await newPackage();
    const b = await newPackage();
    const { path } = newFeed([
      {
        id: "1",
        type: "apex.order.created",
        payload: {
          order_id: "A-1",
          items: [
            { metrc_number: a, grams: 7 },
            { metrcNumber: b, grams: "14" },
            { metrc: a, grams_ordered: 1 },
          ],
        },
      },
      { id: "2", type: "apex.order.updated", data: { metrc_number: b, grams: 1 } },
    ]);
    const src = await newSource(path, { type_mapping: { "apex.order.*": "apex.order" } });
    expect(await pollSource(db, src)).toMatchObject({ processed: 2, failed: 0 });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: a } })).grams_ordered).toBe(8);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: b } })).grams_ordered).toBe(15);
  });

  it("an unknown METRC fails the event with a clear error and changes nothing; reprocess after creating the package processes it", async () => {
    const known = await newPackage();
    const unknown = metrcTag();
    const { path } = newFeed([
      {
        id: "u-1",
        type: "ORDER_CREATED",
        order: {
          id: "B-7",
          items: [
            { metrc_number: known, grams: 5 },
            { metrc_number: unknown, grams: 10 },
          ],
        },
      },
      { id: "u-2", type: "ORDER_CREATED", order: { id: "B-8" } },
    ]);
    const src = await newSource(path, { type_mapping: { "ORDER_*": "apex.order" } });
    expect(await pollSource(db, src)).toMatchObject({ status: "ok", failed: 2, processed: 0, cursor: "u-2" });
    const [row, bad] = await inbound(src.id);
    expect(row).toMatchObject({
      status: "failed",
      mapped_type: "apex.order",
      error: `Unknown METRC number ${unknown}: no finished good has this tag`,
      processed_at: null,
    });
    expect(bad.error).toMatch(/^Apex order has no METRC number/);
    // All lines or none: the known package was not ordered either.
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: known } })).grams_ordered).toBe(0);
    const failedEvent = await db.event.findFirstOrThrow({ where: { type: "inbound.received" }, orderBy: { id: "desc" }, skip: 1 });
    expect(failedEvent.payload).toMatchObject({ source_event_id: "u-1", status: "failed", error: row.error });

    const reprocess = (id: number, headers: Record<string, string>) =>
      call(reprocessRoute.POST, {
        method: "POST",
        path: `/api/webhooks/events/${id}/reprocess`,
        params: { id: String(id) },
        headers,
        body: {},
      });
    // Still unknown: fails again, with the error kept.
    const still = await reprocess(row.id, p.headers.admin);
    expect(still.status).toBe(200);
    expect(still.json.event).toMatchObject({ id: row.id, status: "failed", error: row.error });

    await createFinishedGood(admin, { metrc_number: unknown, strain: "Runtz", grams: 200 });
    expect((await reprocess(row.id, p.headers.operator)).status).toBe(403);
    const done = await reprocess(row.id, p.headers.admin);
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ success: true, event: { id: row.id, status: "processed", error: null, source_name: src.name } });
    expect(done.json.event.processed_at).not.toBeNull();
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: unknown } })).grams_ordered).toBe(10);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: known } })).grams_ordered).toBe(5);
    const audit = await db.auditLog.findMany({
      where: { entity: "inbound_event", entity_id: String(row.id), field: "status" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.old, a.new, a.actor])).toEqual([["failed", "processed", "admin"]]);
    const reprocessed = await db.event.findFirstOrThrow({ where: { type: "inbound.reprocessed" }, orderBy: { id: "desc" } });
    expect(reprocessed.payload).toMatchObject({ inbound_event_id: row.id, previous_status: "failed", status: "processed", error: null });

    // Processed events are never handled twice.
    const again = await reprocess(row.id, p.headers.admin);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("already_processed");
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: unknown } })).grams_ordered).toBe(10);
    expect((await reprocess(999_999, p.headers.admin)).status).toBe(404);
    expect((await reprocess(0, p.headers.admin)).status).toBe(404);
  });

  it("reprocessing an ignored event uses the source's current mapping", async () => {
    const metrc = await newPackage();
    const { path } = newFeed([apexOrder("late-1", metrc, 2)]);
    const src = await newSource(path);
    expect(await pollSource(db, src)).toMatchObject({ ignored: 1 });
    await updateEventSource(admin, src.id, { type_mapping: { ORDER_CREATED: "apex.order" } });
    const [row] = await inbound(src.id);
    const res = await call(reprocessRoute.POST, {
      method: "POST",
      path: `/api/webhooks/events/${row.id}/reprocess`,
      params: { id: String(row.id) },
      headers: p.headers.apiKey,
      body: {},
    });
    // The matrix API key is an operator: reprocessing needs admin.
    expect(res.status).toBe(403);
    const ok = await call(reprocessRoute.POST, {
      method: "POST",
      path: `/api/webhooks/events/${row.id}/reprocess`,
      params: { id: String(row.id) },
      headers: p.headers.admin,
      body: {},
    });
    expect(ok.json.event).toMatchObject({ status: "processed", mapped_type: "apex.order" });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).grams_ordered).toBe(2);
  });
});

describe("scheduling", () => {
  it("pollDueSources polls active sources whose interval has passed, and only those", async () => {
    const due = newFeed(plain(1));
    const a = await newSource(due.path, { interval_seconds: 60 });
    const b = await newSource(newFeed(plain(1)).path, { interval_seconds: 600 });
    const off = await newSource(newFeed(plain(1)).path, { active: false });
    const t0 = new Date();

    const first = await pollDueSources(db, t0);
    expect(first.sources.map((s) => s.source_id).sort()).toEqual([a.id, b.id].sort());
    expect(first.totals).toMatchObject({ received: 2, ignored: 2, errors: 0 });
    expect((await reloadSource(a.id)).last_polled_at?.getTime()).toBe(t0.getTime());

    expect((await pollDueSources(db, new Date(t0.getTime() + 30_000))).polled).toBe(0);
    const later = await pollDueSources(db, new Date(t0.getTime() + 61_000));
    expect(later.sources.map((s) => s.source_id)).toEqual([a.id]);
    expect(due.feed.requests.map((r) => r.after)).toEqual([null, "evt-1"]);
    expect(await inbound(off.id)).toHaveLength(0);
  });

  it("the worker's polling job polls a newly created source at once, not at the next hourly check", async () => {
    let now = new Date();
    const scheduler = new Scheduler({ ownerId: "poll-test", jobs: [inboundPollingJob], now: () => now });
    const cycle = async () => {
      const started = await scheduler.tick();
      await scheduler.settle();
      return started;
    };
    await cycle(); // first start: nothing active, next check in an hour
    expect((await db.job.findUniqueOrThrow({ where: { name: "inbound-polling" } })).interval_seconds).toBe(3600);
    now = new Date(now.getTime() + 1000);
    expect(await cycle()).toEqual([]);

    const { path, feed } = newFeed(plain(2));
    const source = await newSource(path, { interval_seconds: 30 });
    now = new Date(now.getTime() + 1000);
    await cycle(); // sees event_source.created; debounced
    now = new Date(now.getTime() + 1000);
    expect(await cycle()).toEqual(["inbound-polling"]);
    expect(feed.requests).toHaveLength(1);
    expect(await inbound(source.id)).toHaveLength(2);
    // From now on it runs on the source's interval.
    expect((await db.job.findUniqueOrThrow({ where: { name: "inbound-polling" } })).interval_seconds).toBe(30);
  });

  it("the polling job runs as often as the most frequent active source (hourly without one), and stops when aborted", async () => {
    const previous = process.env.EVENT_POLLING_INTERVAL;
    process.env.EVENT_POLLING_INTERVAL = "90";
    try {
      expect(await pollingJobIntervalSeconds(db)).toBe(3600);
      const fast = await newSource(newFeed(plain(1)).path, { interval_seconds: 15 });
      await newSource(newFeed(plain(1)).path, { interval_seconds: 45 });
      await newSource(newFeed(plain(1)).path, { interval_seconds: 10, active: false });
      expect(await pollingJobIntervalSeconds(db)).toBe(15);

      const stop = new AbortController();
      stop.abort();
      expect((await pollDueSources(db, new Date(), { signal: stop.signal })).polled).toBe(0);
      expect((await reloadSource(fast.id)).last_polled_at).toBeNull();
    } finally {
      if (previous === undefined) delete process.env.EVENT_POLLING_INTERVAL;
      else process.env.EVENT_POLLING_INTERVAL = previous;
    }
  });

  it("a source created without an interval gets EVENT_POLLING_INTERVAL seconds", async () => {
    const previous = process.env.EVENT_POLLING_INTERVAL;
    process.env.EVENT_POLLING_INTERVAL = "120";
    try {
      expect((await newSource("/x")).interval_seconds).toBe(120);
    } finally {
      if (previous === undefined) delete process.env.EVENT_POLLING_INTERVAL;
      else process.env.EVENT_POLLING_INTERVAL = previous;
    }
    expect((await newSource("/y", { interval_seconds: 30 })).interval_seconds).toBe(30);
  });
});

describe("HTTP routes", () => {
  it("POST /api/webhooks/poll-events polls every active source now and answers per source", async () => {
    const metrc = await newPackage();
    const good = await newSource(newFeed([apexOrder("r-1", metrc, 4)]).path, { type_mapping: { ORDER_CREATED: "apex.order" } });
    const broken = await newSource("/gone");
    const poll = (headers: Record<string, string>, body: unknown = {}) =>
      call(pollRoute.POST, { method: "POST", path: "/api/webhooks/poll-events", headers, body });

    expect((await poll(p.headers.anonymous)).status).toBe(401);
    expect((await poll(p.headers.viewer)).status).toBe(403);
    const res = await poll(p.headers.apiKey);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, polled: 2, totals: { received: 1, processed: 1, errors: 1 } });
    const byId = Object.fromEntries(res.json.sources.map((s: { source_id: string }) => [s.source_id, s]));
    expect(byId[good.id]).toMatchObject({ name: good.name, status: "ok", processed: 1, cursor: "r-1" });
    expect(byId[broken.id]).toMatchObject({ status: "http_error", error: "HTTP 404 Not Found: no such feed" });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).grams_ordered).toBe(4);

    // The inbound event carries who asked.
    const received = await db.event.findFirstOrThrow({ where: { type: "inbound.received" }, orderBy: { id: "desc" } });
    expect(received.actor).toBe("api-key:ApexAPI");

    // One source by id (a session operator), and an unknown id.
    const one = await poll(p.headers.operator, { source_id: broken.id });
    expect(one.status).toBe(200);
    expect(one.json.sources.map((s: { source_id: string }) => s.source_id)).toEqual([broken.id]);
    expect((await poll(p.headers.operator, { source_id: "nope" })).status).toBe(404);
    expect((await poll(p.headers.operator, { surprise: 1 })).status).toBe(400);
  });

  it("GET /api/webhooks/events filters by source, status and type and pages both ways", async () => {
    const metrc = await newPackage();
    const feedEvents = [apexOrder("g-1", metrc, 1), ...plain(3, "p"), apexOrder("g-5", metrcTag(), 1)];
    const src = await newSource(newFeed(feedEvents).path, { type_mapping: { ORDER_CREATED: "apex.order" } });
    await pollSource(db, src);
    const list = (query: string, headers: Record<string, string> = p.headers.viewer) =>
      call(eventsRoute.GET, { path: `/api/webhooks/events?${query}`, headers });

    expect((await list(`source=${src.id}`, p.headers.anonymous)).status).toBe(401);
    const all = await list(`source=${src.id}`);
    expect(all.status).toBe(200);
    // Newest first by default.
    expect(all.json.events.map((e: { source_event_id: string }) => e.source_event_id)).toEqual(["g-5", "p-3", "p-2", "p-1", "g-1"]);
    expect(all.json).toMatchObject({ has_more: false, next_before: null, next_after: null });
    expect(all.json.events[0]).toMatchObject({
      source_id: src.id,
      source_name: src.name,
      type: "ORDER_CREATED",
      mapped_type: "apex.order",
      status: "failed",
    });
    expect(all.json.events[0].error).toMatch(/^Unknown METRC number/);
    expect(Object.keys(all.json.events[0]).sort()).toEqual([
      "error",
      "id",
      "mapped_type",
      "payload",
      "processed_at",
      "received_at",
      "source_event_id",
      "source_id",
      "source_name",
      "status",
      "type",
    ]);

    const byName = await list(`source=${encodeURIComponent(src.name)}&status=ignored`, p.headers.apiKey);
    expect(byName.json.events.map((e: { source_event_id: string }) => e.source_event_id)).toEqual(["p-3", "p-2", "p-1"]);
    const byType = await list(`source=${src.id}&type=apex.order&status=processed`);
    expect(byType.json.events.map((e: { source_event_id: string }) => e.source_event_id)).toEqual(["g-1"]);

    const page1 = await list(`source=${src.id}&limit=2`);
    expect(page1.json).toMatchObject({ has_more: true });
    const page2 = await list(`source=${src.id}&limit=2&before=${page1.json.next_before}`);
    const page3 = await list(`source=${src.id}&limit=2&before=${page2.json.next_before}`);
    expect([...page1.json.events, ...page2.json.events, ...page3.json.events].map((e: { id: number }) => e.id)).toEqual(
      all.json.events.map((e: { id: number }) => e.id),
    );
    expect(page3.json).toMatchObject({ has_more: false, next_before: null });

    const firstId = all.json.events[4].id;
    const asc = await list(`source=${src.id}&after=${firstId}&limit=3`);
    expect(asc.json.events.map((e: { id: number }) => e.id)).toEqual(
      all.json.events
        .slice(1, 4)
        .map((e: { id: number }) => e.id)
        .reverse(),
    );
    expect(asc.json).toMatchObject({ has_more: true, next_after: all.json.events[1].id, next_before: null });

    expect((await list("status=weird")).status).toBe(400);
    expect((await list("after=1&before=5")).status).toBe(400);
  });

  it("admin CRUD of event sources: redacted auth header, validation, audit and events", async () => {
    const create = (body: unknown, headers: Record<string, string> = p.headers.admin) =>
      call(sourcesRoute.POST, { method: "POST", path: "/api/admin/event-sources", headers, body });
    const secret = "Bearer sk_live_abcdefghijklmnop";

    expect((await create({ name: "apex", url: `${base}/apex` }, p.headers.operator)).status).toBe(403);
    expect((await create({ name: "apex", url: `${base}/apex` }, p.headers.apiKey)).status).toBe(401);
    const bad = await create({ name: "apex", url: "ftp://x", type_mapping: { ORDER_CREATED: "launch.rockets" }, limit: 0 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fields).sort()).toEqual(["limit", "type_mapping.ORDER_CREATED", "url"]);

    const res = await create({
      name: "apex",
      url: `${base}/apex`,
      type_mapping: { "ORDER_*": "apex.order" },
      auth_header: secret,
      interval_seconds: 300,
    });
    expect(res.status).toBe(201);
    const s = res.json.source;
    expect(s).toMatchObject({
      name: "apex",
      cursor_param: "after",
      limit: 100,
      type_mapping: { "ORDER_*": "apex.order" },
      auth_header: "••••mnop",
      has_auth_header: true,
      interval_seconds: 300,
      active: true,
      cursor: null,
      last_status: null,
    });
    expect(res.text).not.toContain("sk_live");
    expect((await create({ name: "apex", url: `${base}/apex` })).status).toBe(409);

    const get = await call(sourceRoute.GET, { path: `/api/admin/event-sources/${s.id}`, params: { id: s.id }, headers: p.headers.admin });
    expect(get.status).toBe(200);
    expect(get.text).not.toContain("sk_live");
    expect(get.json.source).toMatchObject({ id: s.id, auth_header: "••••mnop", events: {} });
    const list = await call(sourcesRoute.GET, { path: "/api/admin/event-sources", headers: p.headers.admin });
    expect(list.json.sources.map((x: { name: string }) => x.name)).toContain("apex");
    expect(list.text).not.toContain("sk_live");
    expect((await call(sourcesRoute.GET, { path: "/api/admin/event-sources", headers: p.headers.viewer })).status).toBe(403);

    const patch = (body: unknown) =>
      call(sourceRoute.PATCH, {
        method: "PATCH",
        path: `/api/admin/event-sources/${s.id}`,
        params: { id: s.id },
        headers: p.headers.admin,
        body,
      });
    // Sending back what GET showed keeps the secret.
    const same = await patch({
      ...get.json.source,
      id: undefined,
      events: undefined,
      has_auth_header: undefined,
      last_polled_at: undefined,
      last_status: undefined,
      last_error: undefined,
      next_poll_at: undefined,
      created_at: undefined,
      updated_at: undefined,
      limit: 50,
    });
    expect(same.status).toBe(200);
    expect((await reloadSource(s.id)).auth_header).toBe(secret);
    expect(same.json.source.limit).toBe(50);
    const changed = await patch({ auth_header: "X-Api-Key: another-secret-value-wxyz" });
    expect(changed.json.source.auth_header).toBe("X-Api-Key: ••••wxyz");
    expect((await reloadSource(s.id)).auth_header).toBe("X-Api-Key: another-secret-value-wxyz");
    expect((await patch({ auth_header: null })).json.source).toMatchObject({ auth_header: null, has_auth_header: false });
    expect((await patch({})).status).toBe(400);

    const audit = await db.auditLog.findMany({ where: { entity: "event_source", entity_id: s.id } });
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.some((a) => `${a.old}${a.new}`.includes("sk_live") || `${a.old}${a.new}`.includes("another-secret"))).toBe(false);
    const types = (await db.event.findMany({ where: { type: { startsWith: "event_source." } } }))
      .filter((e) => (e.payload as { source_id: string }).source_id === s.id)
      .map((e) => [e.type, (e.payload as { changed_fields?: string[] }).changed_fields ?? null]);
    expect(types).toEqual([
      ["event_source.created", null],
      ["event_source.updated", ["limit"]],
      ["event_source.updated", ["auth_header"]],
      ["event_source.updated", ["auth_header"]],
    ]);

    // Deleting removes its inbound events too.
    await db.inboundEvent.create({ data: { source_id: s.id, source_event_id: "1", type: "X", payload: {}, status: "ignored" } });
    const del = await call(sourceRoute.DELETE, {
      method: "DELETE",
      path: `/api/admin/event-sources/${s.id}`,
      params: { id: s.id },
      headers: p.headers.admin,
    });
    expect(del.json).toEqual({ success: true });
    expect(await db.inboundEvent.count({ where: { source_id: s.id } })).toBe(0);
    expect(
      (await call(sourceRoute.GET, { path: `/api/admin/event-sources/${s.id}`, params: { id: s.id }, headers: p.headers.admin })).status,
    ).toBe(404);
    expect(await db.event.count({ where: { type: "event_source.deleted" } })).toBeGreaterThan(0);
  });
});
