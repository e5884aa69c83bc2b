import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as logRoute from "@/app/api/admin/events/route";

/** GET /api/admin/events: the Event system page's event log search. */

let p: Awaited<ReturnType<typeof createPrincipals>>;
const ids: Record<string, number> = {};

const rows = [
  {
    name: "fg1",
    type: "finished_good.deducted",
    payload: { metrc_number: "1A4000000000000000000001", strain: "Blue Dream", grams: 5 },
    actor: "api-key:ApexAPI",
    trace_id: "trace-aaa",
    source: "api",
    at: "2026-03-01T10:00:00Z",
  },
  {
    name: "batch1",
    type: "batch.created",
    payload: { batch_id: "B-1", strain: "Runtz", input_grams: 1000, stage: 0 },
    actor: "operator",
    trace_id: "trace-bbb",
    source: "web",
    at: "2026-03-01T11:00:00Z",
  },
  {
    name: "fg2",
    type: "finished_good.added",
    payload: { metrc_number: "1A4000000000000000000002", strain: "Gelato 100%_x", grams: 7 },
    actor: "admin",
    trace_id: "trace-bbb",
    source: "web",
    at: "2026-03-02T09:00:00Z",
  },
  {
    name: "setting",
    type: "setting.updated",
    payload: { key: "work_schedule" },
    actor: "admin",
    trace_id: "trace-ccc",
    source: "web",
    at: "2026-03-03T08:00:00Z",
  },
  {
    name: "batch2",
    type: "batch.stage_changed",
    payload: { batch_id: "B-1", strain: "Runtz", from: 0, to: 1, auto: true },
    actor: "worker",
    trace_id: "trace-ddd",
    source: "worker",
    at: "2026-03-04T12:30:00Z",
  },
];

beforeAll(async () => {
  p = await createPrincipals();
  await db.event.deleteMany({});
  for (const r of rows) {
    const row = await db.event.create({
      data: { type: r.type, payload: r.payload, actor: r.actor, trace_id: r.trace_id, source: r.source, created_at: new Date(r.at) },
    });
    ids[r.name] = row.id;
  }
});

const search = (qs: string, headers: Record<string, string> = p.headers.admin) =>
  call(logRoute.GET, { path: `/api/admin/events${qs}`, headers });
const names = (res: { json: { events: { id: number }[] } }) => res.json.events.map((e) => Object.keys(ids).find((k) => ids[k] === e.id));

describe("GET /api/admin/events", () => {
  it("lists envelopes newest first", async () => {
    const res = await search("");
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(["batch2", "setting", "fg2", "batch1", "fg1"]);
    expect(res.json.next_before_id).toBeNull();
    expect(res.json.events[4]).toEqual({
      id: ids.fg1,
      type: "finished_good.deducted",
      payload: rows[0].payload,
      metadata: { timestamp: "2026-03-01T10:00:00.000Z", actor: "api-key:ApexAPI", traceId: "trace-aaa", source: "api" },
    });
  });

  it("filters by type glob, a list of globs and an exact type", async () => {
    expect(names(await search("?type=finished_good.*"))).toEqual(["fg2", "fg1"]);
    expect(names(await search(`?type=${encodeURIComponent("batch.*,setting.updated")}`))).toEqual(["batch2", "setting", "batch1"]);
    expect(names(await search("?type=batch.created"))).toEqual(["batch1"]);
    expect(names(await search("?type=nothing.*"))).toEqual([]);
  });

  it("filters by time window (inclusive), trace id, actor and payload text", async () => {
    expect(names(await search("?since=2026-03-02T00:00:00Z"))).toEqual(["batch2", "setting", "fg2"]);
    expect(names(await search("?until=2026-03-01T11:00:00Z"))).toEqual(["batch1", "fg1"]);
    expect(names(await search(`?since=${encodeURIComponent("2026-03-02T10:00:00+01:00")}&until=2026-03-03T08:00:00Z`))).toEqual([
      "setting",
      "fg2",
    ]);
    expect(names(await search("?trace_id=trace-bbb"))).toEqual(["fg2", "batch1"]);
    expect(names(await search("?actor=admin"))).toEqual(["setting", "fg2"]);
    expect(names(await search("?q=Runtz"))).toEqual(["batch2", "batch1"]);
    expect(names(await search("?q=runtz"))).toEqual(["batch2", "batch1"]); // ASCII case-insensitive
    expect(names(await search("?q=1A4000000000000000000002"))).toEqual(["fg2"]);
    // LIKE wildcards in the search text are literal.
    expect(names(await search(`?q=${encodeURIComponent("100%_x")}`))).toEqual(["fg2"]);
    expect(names(await search(`?q=${encodeURIComponent("%")}`))).toEqual(["fg2"]);
  });

  it('finds `"key":"value"` as the feed shows payloads (PostgreSQL too: json keeps the text as written)', async () => {
    const q = (text: string) => search(`?q=${encodeURIComponent(text)}`);
    expect(names(await q('"strain":"Runtz"'))).toEqual(["batch2", "batch1"]);
    expect(names(await q('"grams":7'))).toEqual(["fg2"]);
    // Two keys in the order they were written (jsonb would have put "stage" before "strain").
    expect(names(await q('"strain":"Runtz","input_grams":1000,"stage":0'))).toEqual(["batch1"]);
    expect(names(await q('{"key":"work_schedule"}'))).toEqual(["setting"]);
  });

  it("combines filters, and treats empty fields as absent", async () => {
    expect(names(await search("?type=batch.*&trace_id=trace-bbb&q=B-1"))).toEqual(["batch1"]);
    expect(names(await search("?type=finished_good.*&since=2026-03-01T12:00:00Z&actor=admin"))).toEqual(["fg2"]);
    expect(names(await search("?q=&actor=&trace_id=&type=&since="))).toEqual(["batch2", "setting", "fg2", "batch1", "fg1"]);
  });

  it("pages with before_id and next_before_id", async () => {
    const first = await search("?limit=2");
    expect(names(first)).toEqual(["batch2", "setting"]);
    expect(first.json.next_before_id).toBe(ids.setting);
    const second = await search(`?limit=2&before_id=${first.json.next_before_id}`);
    expect(names(second)).toEqual(["fg2", "batch1"]);
    expect(second.json.next_before_id).toBe(ids.batch1);
    const third = await search(`?limit=2&before_id=${second.json.next_before_id}`);
    expect(names(third)).toEqual(["fg1"]);
    expect(third.json.next_before_id).toBeNull();
    // Paging a filtered search.
    const filtered = await search("?limit=1&type=finished_good.*");
    expect(names(filtered)).toEqual(["fg2"]);
    const filtered2 = await search(`?limit=1&type=finished_good.*&before_id=${filtered.json.next_before_id}`);
    expect(names(filtered2)).toEqual(["fg1"]);
    expect(filtered2.json.next_before_id).toBeNull();
  });

  it.each(["limit=0", "limit=501", "limit=abc", "since=yesterday", "until=2026-13-01T00:00:00Z", "before_id=0", "type=a%20b", "nope=1"])(
    "400 for ?%s",
    async (qs) => {
      const res = await search(`?${qs}`);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: "validation_failed", error: expect.any(String) });
    },
  );

  it("limit 500 is allowed", async () => {
    expect((await search("?limit=500")).status).toBe(200);
  });

  it("is for admins with a session: 401 anonymous or by API key, 403 for operators and viewers", async () => {
    expect((await search("", {})).status).toBe(401);
    expect((await search("", p.headers.apiKey)).status).toBe(401);
    expect((await search("", p.headers.operator)).status).toBe(403);
    expect((await search("", p.headers.viewer)).status).toBe(403);
  });
});
