import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as feedRoute from "@/app/api/events/route";
import { resetApiRateLimiter } from "@/lib/http/rate-limit";

/** GET /api/events: the cursor feed (SPEC §4.3, §8 "feed cursor"). */

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  // The consumers below poll as fast as the writers commit; on a slow machine that is more than a
  // key's per-minute budget, and a 429 is not what these tests are about (rate-limit.test.ts is).
  process.env.API_RATE_LIMIT_PER_MIN = "0";
  resetApiRateLimiter();
  p = await createPrincipals();
});
afterAll(() => {
  delete process.env.API_RATE_LIMIT_PER_MIN;
  resetApiRateLimiter();
});

const feed = (query: string, headers: Record<string, string> = p.headers.apiKey) =>
  call(feedRoute.GET, { path: `/api/events${query}`, headers });

async function headId(): Promise<number> {
  return (await db.event.aggregate({ _max: { id: true } }))._max.id ?? 0;
}

/** Raw rows (the feed is type-agnostic); returns their ids in order. */
async function insertEvents(types: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, type] of types.entries()) {
    const row = await db.event.create({ data: { type, payload: { n: i, type }, actor: "test", trace_id: `trace-${i}`, source: "system" } });
    ids.push(row.id);
  }
  return ids;
}

describe("GET /api/events: paging", () => {
  it("pages exactly: lastEventId is the last id returned, hasMore until the end, then after stays put", async () => {
    const start = await headId();
    const ids = await insertEvents(Array.from({ length: 25 }, () => "setting.updated"));

    const seen: number[] = [];
    const pages: { count: number; lastEventId: number; hasMore: boolean }[] = [];
    let after = start;
    for (let i = 0; i < 5; i++) {
      const res = await feed(`?after=${after}&limit=10`);
      expect(res.status).toBe(200);
      const ev = res.json.events as { id: number }[];
      pages.push({ count: ev.length, lastEventId: res.json.lastEventId, hasMore: res.json.hasMore });
      seen.push(...ev.map((e) => e.id));
      if (ev.length > 0) expect(res.json.lastEventId).toBe(ev[ev.length - 1].id);
      after = res.json.lastEventId;
      if (!res.json.hasMore) break;
    }
    expect(seen).toEqual(ids);
    expect(pages).toEqual([
      { count: 10, lastEventId: ids[9], hasMore: true },
      { count: 10, lastEventId: ids[19], hasMore: true },
      { count: 5, lastEventId: ids[24], hasMore: false },
    ]);

    // Nothing new: no events, the cursor comes back unchanged.
    const empty = await feed(`?after=${ids[24]}&limit=10`);
    expect(empty.json).toEqual({ events: [], lastEventId: ids[24], hasMore: false });

    // A page that ends exactly at the last event says there is no more.
    const exact = await feed(`?after=${ids[14]}&limit=10`);
    expect(exact.json.events).toHaveLength(10);
    expect(exact.json.hasMore).toBe(false);
    expect(exact.json.lastEventId).toBe(ids[24]);
  });

  it("defaults: after=0, limit=100; limit 1000 is allowed", async () => {
    await insertEvents(Array.from({ length: 120 }, () => "setting.updated"));
    const first = await feed("");
    expect(first.status).toBe(200);
    expect(first.json.events).toHaveLength(100);
    expect(first.json.events[0].id).toBe((await db.event.findFirstOrThrow({ orderBy: { id: "asc" } })).id);
    expect(first.json.hasMore).toBe(true);
    const big = await feed("?limit=1000");
    expect(big.status).toBe(200);
    expect(big.json.events.length).toBe(await db.event.count());
    expect(big.json.hasMore).toBe(false);
    const ids = (big.json.events as { id: number }[]).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("returns envelopes {id, type, payload, metadata:{timestamp, actor, traceId, source}} as mutate wrote them", async () => {
    const start = await headId();
    const ctx = { actor: "feed-tester", traceId: "trace-feed-envelope", source: "api" };
    const written = await mutate(ctx, (m) => m.emit("setting.updated", { key: "work_schedule" }));
    const res = await feed(`?after=${start}`);
    expect(res.json.events).toEqual([
      {
        id: written.id,
        type: "setting.updated",
        payload: { key: "work_schedule" },
        metadata: { timestamp: written.metadata.timestamp, actor: "feed-tester", traceId: "trace-feed-envelope", source: "api" },
      },
    ]);
    expect(res.json.events[0]).toEqual(JSON.parse(JSON.stringify(written)));
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("GET /api/events: type globs", () => {
  let start: number;
  let ids: number[];
  const types = [
    "finished_good.created",
    "batch.created",
    "finished_good.deducted",
    "setting.updated",
    "api_key.created",
    "finished_good.added",
    "batch.stage_changed",
    "api_key.revoked",
  ];
  beforeAll(async () => {
    start = await headId();
    ids = await insertEvents(types);
  });
  const idsOf = (...wanted: string[]) => ids.filter((_, i) => wanted.includes(types[i]));

  it("filters by one glob, a comma-separated list, a repeated parameter, an exact type and *", async () => {
    const fg = await feed(`?after=${start}&type=finished_good.*`);
    expect(fg.json.events.map((e: { id: number }) => e.id)).toEqual(
      idsOf("finished_good.created", "finished_good.deducted", "finished_good.added"),
    );
    expect(fg.json.events.every((e: { type: string }) => e.type.startsWith("finished_good."))).toBe(true);

    const list = await feed(`?after=${start}&type=${encodeURIComponent("api_key.*, setting.updated")}`);
    expect(list.json.events.map((e: { id: number }) => e.id)).toEqual(idsOf("setting.updated", "api_key.created", "api_key.revoked"));

    const repeated = await feed(`?after=${start}&type=batch.created&type=api_key.revoked`);
    expect(repeated.json.events.map((e: { id: number }) => e.id)).toEqual(idsOf("batch.created", "api_key.revoked"));

    const middle = await feed(`?after=${start}&type=*.created`);
    expect(middle.json.events.map((e: { id: number }) => e.id)).toEqual(idsOf("finished_good.created", "batch.created", "api_key.created"));

    const all = await feed(`?after=${start}&type=*`);
    expect(all.json.events.map((e: { id: number }) => e.id)).toEqual(ids);
  });

  it("pages a filtered feed exactly, and a filter that matches nothing keeps the cursor", async () => {
    const seen: number[] = [];
    let after = start;
    const lasts: number[] = [];
    for (;;) {
      const res = await feed(`?after=${after}&limit=2&type=finished_good.*`);
      seen.push(...res.json.events.map((e: { id: number }) => e.id));
      lasts.push(res.json.lastEventId);
      after = res.json.lastEventId;
      if (!res.json.hasMore) break;
    }
    const want = idsOf("finished_good.created", "finished_good.deducted", "finished_good.added");
    expect(seen).toEqual(want);
    expect(lasts).toEqual([want[1], want[2]]);

    const none = await feed(`?after=${start}&type=nothing.*`);
    expect(none.json).toEqual({ events: [], lastEventId: start, hasMore: false });
  });

  it("sees a type that first appears after the glob was last used", async () => {
    const before = await feed(`?after=${start}&type=zz_new.*`);
    expect(before.json.events).toEqual([]);
    const [id] = await insertEvents(["zz_new.thing"]);
    const after = await feed(`?after=${start}&type=zz_new.*`);
    expect(after.json.events.map((e: { id: number }) => e.id)).toEqual([id]);
  });
});

describe("GET /api/events: validation and auth", () => {
  it.each(["limit=0", "limit=1001", "limit=abc", "limit=1.5", "after=-1", "after=abc", "type=bad%20type", "type=a;drop", "lmit=5"])(
    "400 in the SPEC error shape for ?%s",
    async (qs) => {
      const res = await feed(`?${qs}`);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: "validation_failed", error: expect.any(String), details: { location: "query" } });
    },
  );

  it("names the failing field", async () => {
    const res = await feed("?limit=1001");
    expect(Object.keys(res.json.details.fields)).toEqual(["limit"]);
  });

  it("401 without a key or with a wrong one; viewer sessions and API keys may read", async () => {
    const anonymous = await feed("", {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ error: expect.any(String), code: "unauthorized" });
    expect((await feed("", { "x-api-key": "prt_wrongwrongwrongwrongwrong" })).status).toBe(401);
    expect((await feed("", p.headers.viewer)).status).toBe(200);
    expect((await feed("", p.headers.apiKey)).status).toBe(200);
  });
});

/**
 * Another process (as the worker is) writing events straight into the database, in small
 * transactions of two rows, while this process writes through mutate() and consumers poll.
 * SQLite: the same file through better-sqlite3 (BEGIN IMMEDIATE). PostgreSQL: a second connection
 * with plain SQL, bypassing mutate — the events trigger takes the write lock and draws the id.
 */
const SQLITE_WRITER = `
const Database = require("better-sqlite3");
const db = new Database(process.env.DB_FILE, { timeout: 30000 });
db.pragma("journal_mode = WAL");
const insert = db.prepare("INSERT INTO events (type, payload, actor, trace_id, source, created_at) VALUES (?, ?, 'worker', 'trace-worker', 'worker', ?)");
let i = 0;
function step() {
  if (i >= 60) return db.close();
  db.exec("BEGIN IMMEDIATE");
  for (let k = 0; k < 2; k++) insert.run(k === 0 ? "api_key.created" : "setting.updated", JSON.stringify({ i, k }), new Date().toISOString().replace("Z", "+00:00"));
  db.exec("COMMIT");
  i++;
  setTimeout(step, 2);
}
step();
`;
const POSTGRES_WRITER = `
const pg = require("pg");
const client = new pg.Client({ connectionString: process.env.DB_URL, options: "-c timezone=UTC" });
const insert = "INSERT INTO events (type, payload, actor, trace_id, source) VALUES ($1, $2::jsonb, 'worker', 'trace-worker', 'worker')";
(async () => {
  await client.connect();
  for (let i = 0; i < 60; i++) {
    await client.query("BEGIN");
    for (let k = 0; k < 2; k++) await client.query(insert, [k === 0 ? "api_key.created" : "setting.updated", JSON.stringify({ i, k })]);
    await client.query("COMMIT");
    await new Promise((r) => setTimeout(r, 2));
  }
  await client.end();
})().catch((err) => { console.error(err); process.exit(1); });
`;

function runWriterProcess(): Promise<void> {
  const url = process.env.DATABASE_URL!;
  const postgres = /^postgres(ql)?:\/\//.test(url);
  const env = { ...process.env, DB_FILE: url.replace(/^file:/, ""), DB_URL: url };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", postgres ? POSTGRES_WRITER : SQLITE_WRITER], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

describe("GET /api/events: the cursor never skips a commit (SPEC §8)", () => {
  it("consumers polling while two processes commit see every event once, in order (plain and filtered)", async () => {
    const start = await headId();
    let writing = true;
    const inProcess = (async () => {
      for (let i = 0; i < 40; i++) {
        await mutate(systemContext("writer"), async (m) => {
          await m.emit("api_key.created", { api_key_id: `k${i}`, name: "n", prefix: "prt_x" });
          await m.emit("setting.updated", { key: `s${i}` });
        });
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const done = Promise.all([inProcess, runWriterProcess()]).finally(() => (writing = false));

    async function consume(query: string, limit: number) {
      const seen: number[] = [];
      let after = start;
      let polls = 0;
      for (;;) {
        const stillWriting = writing;
        const res = await feed(`?after=${after}&limit=${limit}${query}`);
        expect(res.status).toBe(200);
        seen.push(...res.json.events.map((e: { id: number }) => e.id));
        after = res.json.lastEventId;
        polls++;
        if (!stillWriting && !res.json.hasMore) return { seen, polls };
        // A real consumer waits between polls; a loop of in-process calls would also starve timers.
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    const [plain, filtered] = await Promise.all([consume("", 7), consume("&type=api_key.*", 3), done]);

    const committed = await db.event.findMany({ where: { id: { gt: start } }, select: { id: true, type: true }, orderBy: { id: "asc" } });
    expect(committed).toHaveLength(200);
    expect(plain.seen).toEqual(committed.map((r) => r.id));
    expect(filtered.seen).toEqual(committed.filter((r) => r.type === "api_key.created").map((r) => r.id));
    expect(plain.polls).toBeGreaterThan(5); // the consumers really polled while the writers ran
  });

  it("never shows an event whose transaction has not committed (it may still roll back)", async () => {
    const start = await headId();
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const rolledBack = mutate(systemContext(), async (m) => {
      await m.emit("setting.updated", { key: "never-committed" });
      await hold;
      throw new Error("roll back");
    }).catch((err: Error) => err.message);
    await new Promise((r) => setTimeout(r, 50)); // the transaction is open and has written its row
    const during = await feed(`?after=${start}`);
    expect(during.json).toEqual({ events: [], lastEventId: start, hasMore: false });
    const duringGlob = await feed(`?after=${start}&type=setting.*`);
    expect(duringGlob.json.events).toEqual([]);
    release();
    expect(await rolledBack).toBe("roll back");

    // The id the rolled-back row had goes to the next real event: a consumer must not have skipped it.
    const real = await mutate(systemContext(), (m) => m.emit("setting.updated", { key: "committed" }));
    const after = await feed(`?after=${start}`);
    expect(after.json.events.map((e: { id: number }) => e.id)).toEqual([real.id]);
  });
});
