import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { compileTypeFilter, readFeed, type TypeFilter } from "@/lib/events/feed";
import { openEventStream } from "@/lib/events/sse";
import { relayAll, relayOnce } from "@/lib/events/relay";
import { createSubscriber } from "@/lib/events/subscribers/service";
import { lastAuditUpdate } from "@/lib/domain/audit/last-updated";
import { stopPgChanges } from "@/lib/db/pg-changes";

/**
 * The gap stress run (issue [12], Tests): 8 writers through `mutate` on PostgreSQL, 10 % of them
 * rolling back after emitting (holes in the id sequence), while feed pollers (type globs,
 * limit=1), SSE clients that keep reconnecting and two concurrent relays consume. Every consumer
 * must see exactly the committed ids (of its types), in id order, once; the batch last-updated
 * ETag must move with every commit. A fixed number of commits, not a time.
 */

// 300: ~12 s here (8 writers share the pool with 9 consumers and wait on one lock).
const COMMITS = 300;
const WRITERS = 8;
const ROLLBACK_RATE = 0.1;
const TYPES = ["setting.updated", "test.ping"] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
class Rollback extends Error {}

interface Committed {
  id: number;
  type: string;
  auditId: number;
}

/** Ids of `committed` a consumer with `filter` must see, in id order. */
const expectedFor = (committed: Committed[], filter?: TypeFilter) =>
  committed
    .filter((c) => !filter || filter.test(c.type))
    .map((c) => c.id)
    .sort((a, b) => a - b);

const etagId = (etag: string) => Number(/-(\d+)"$/.exec(etag)?.[1]);

/** One writer: emits (and audits, so the ETag moves), sometimes throws after emitting. */
async function writer(n: number, quota: { left: number }, committed: Committed[], etagLag: string[], rolledBack: number[]) {
  let i = 0;
  while (quota.left > 0) {
    const type = TYPES[(n + i++) % TYPES.length];
    const rollback = Math.random() < ROLLBACK_RATE;
    if (!rollback) quota.left--;
    let emittedId = 0;
    try {
      const result = await mutate(systemContext(`writer-${n}`), async (m) => {
        const e =
          type === "test.ping"
            ? await m.emit("test.ping", { message: `w${n}-${i}` })
            : await m.emit("setting.updated", { key: `w${n}-${i}` });
        emittedId = e.id;
        await m.audit({ entity: "batch", entityId: `stress-${n}`, before: { i: 0 }, after: { i } });
        const audit = await m.tx.auditLog.findFirstOrThrow({ where: { entity: "batch" }, orderBy: { id: "desc" }, select: { id: true } });
        if (rollback) throw new Rollback();
        return { id: e.id, type, auditId: audit.id };
      });
      committed.push(result);
      // A read right after this commit must already reflect it (memo dropped on commit).
      const { etag } = await lastAuditUpdate("batch");
      if (etagId(etag) < result.auditId) etagLag.push(`${etag} < ${result.auditId}`);
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
      rolledBack.push(emittedId);
    }
  }
}

/** A feed poller with `limit=1`: cursor = `lastEventId`, exactly as a consumer of GET /api/events. */
async function feedPoller(head: number, filter: TypeFilter | undefined, done: () => boolean) {
  const seen: number[] = [];
  let cursor = head;
  let idleAfterDone = 0;
  while (idleAfterDone < 2) {
    const finished = done(); // read before the page: a page after `done` has seen every commit
    const page = await readFeed({ after: cursor, limit: 1, filter });
    seen.push(...page.events.map((e) => e.id));
    cursor = page.lastEventId;
    if (!page.hasMore && page.events.length === 0) {
      if (finished) idleAfterDone++;
      else await sleep(1);
    }
  }
  return seen;
}

/** Parses `id:` of every data message in an SSE text chunk stream. */
function sseIds(text: string): { ids: number[]; rest: string } {
  const ids: number[] = [];
  let rest = text;
  let i: number;
  while ((i = rest.indexOf("\n\n")) >= 0) {
    const block = rest.slice(0, i);
    rest = rest.slice(i + 2);
    if (!/^data:/m.test(block)) continue;
    const id = /^id: (\d+)$/m.exec(block);
    if (id) ids.push(Number(id[1]));
  }
  return { ids, rest };
}

/**
 * An SSE client that reconnects (Last-Event-ID = its last id) after every few messages or a short
 * while, until `done` and nothing new came for a while.
 */
async function sseClient(head: number, filter: TypeFilter | undefined, done: () => boolean, every: number) {
  const seen: number[] = [];
  let cursor = head;
  let reconnects = 0;
  let quietAfterDone = 0;
  while (quietAfterDone < 2) {
    const finished = done();
    const abort = new AbortController();
    const response = openEventStream({
      after: cursor,
      filter,
      signal: abort.signal,
      options: { pollMs: 100, heartbeatMs: 60_000, pageSize: 3 },
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let got = 0;
    const started = Date.now();
    // Reads until `every` messages or 150 ms, then drops the connection.
    while (got < every && Date.now() - started < 150) {
      const chunk = await Promise.race([reader.read(), sleep(150 - (Date.now() - started)).then(() => null)]);
      if (!chunk) break;
      if (chunk.done) break;
      const parsed = sseIds(buffer + decoder.decode(chunk.value, { stream: true }));
      buffer = parsed.rest;
      for (const id of parsed.ids) {
        seen.push(id);
        cursor = id;
        got++;
      }
    }
    abort.abort();
    await reader.cancel().catch(() => undefined);
    reconnects++;
    if (finished && got === 0) quietAfterDone++;
  }
  return { seen, reconnects };
}

/** A relay loop (the worker's), run twice concurrently; pages are recorded with their events. */
async function relayLoop(pages: number[][], done: () => boolean) {
  let idleAfterDone = 0;
  while (idleAfterDone < 2) {
    const finished = done();
    const r = await relayOnce(db, { pageSize: 7, onRelayed: (envelopes) => pages.push(envelopes.map((e) => e.id)) });
    if (r.events === 0) {
      if (finished) idleAfterDone++;
      else await sleep(2);
    }
  }
}

afterAll(async () => {
  await stopPgChanges();
  await db.$disconnect();
});

describe("PostgreSQL gap stress: 8 writers, rollbacks, pollers, reconnecting SSE clients, two relays", () => {
  it(`${COMMITS} commits: every consumer sees exactly the committed ids, in order, once`, { timeout: 35_000 }, async () => {
    const { subscriber } = await createSubscriber(systemContext("admin", "web"), {
      name: "stress-hook",
      event_types: "*",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/never-called", timeout_ms: 1000 },
      ordered: false,
      max_attempts: 3,
      active: true,
    });
    await relayAll(db, 1000); // relay cursor at the head
    const head = (await db.event.aggregate({ _max: { id: true } }))._max.id ?? 0;

    const committed: Committed[] = [];
    const rolledBack: number[] = [];
    const etagLag: string[] = [];
    let writing = true;
    const done = () => !writing;
    const filters = [compileTypeFilter(["setting.*"]), compileTypeFilter(["test.p?ng", "nothing.*"]), undefined];

    const pollers = filters.map((f) => feedPoller(head, f, done));
    const sses = filters.map((f, i) => sseClient(head, f, done, 5 + i * 7));
    const relayPages: number[][] = [];
    const relays = [relayLoop(relayPages, done), relayLoop(relayPages, done)];

    const quota = { left: COMMITS };
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(n, quota, committed, etagLag, rolledBack));
    await Promise.all(writers);
    writing = false;
    const [polled, streamed] = await Promise.all([Promise.all(pollers), Promise.all(sses), Promise.all(relays)]);

    expect(committed).toHaveLength(COMMITS);
    expect(rolledBack.length).toBeGreaterThan(0);
    // Rolled-back ids are holes, never rows.
    expect(await db.event.count({ where: { id: { in: rolledBack } } })).toBe(0);
    expect(etagLag).toEqual([]);

    filters.forEach((f, i) => {
      const expected = expectedFor(committed, f);
      expect(expected.length).toBeGreaterThan(0);
      expect(polled[i], `feed poller ${f?.globs.join(",") ?? "*"}`).toEqual(expected);
      expect(streamed[i].seen, `SSE client ${f?.globs.join(",") ?? "*"}`).toEqual(expected);
      expect(streamed[i].reconnects).toBeGreaterThan(3);
    });

    // Two relays: disjoint pages, each in id order, together every committed id once.
    relayPages.sort((a, b) => a[0] - b[0]);
    for (const page of relayPages) expect(page).toEqual([...page].sort((a, b) => a - b));
    expect(relayPages.flat()).toEqual(expectedFor(committed));
    const deliveries = await db.delivery.findMany({
      where: { subscriber_id: subscriber.id, event_id: { gt: head } },
      select: { event_id: true },
    });
    expect(deliveries.map((d) => d.event_id).sort((a, b) => a - b)).toEqual(expectedFor(committed));
  });

  it("the last-updated ETag changes on every commit (sequential commits, each read after)", async () => {
    const etags = [(await lastAuditUpdate("batch")).etag];
    for (let i = 0; i < 20; i++) {
      await mutate(systemContext("etag-writer"), async (m) => {
        await m.audit({ entity: "batch", entityId: "etag", before: { i }, after: { i: i + 1 } });
        return m.emit("setting.updated", { key: `etag-${i}` });
      });
      etags.push((await lastAuditUpdate("batch")).etag);
    }
    expect(new Set(etags).size).toBe(etags.length);
  });
});
