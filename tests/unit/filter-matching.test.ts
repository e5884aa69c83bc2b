import { describe, expect, it } from "vitest";
import { globMatch, matchesEventType, parseTypeGlobs } from "@/lib/events/glob";
import { filterProblems, matchesFilter, resolvePath } from "@/lib/events/filter";
import { subscriberWants } from "@/lib/events/relay";
import type { EventEnvelope } from "@/lib/events/catalogue";
import { baseDelayMs, nextAttemptDelayMs, parseRetryAfter, withJitter } from "@/lib/events/delivery/schedule";

const env = (type: string, payload: Record<string, unknown>, source = "api"): EventEnvelope => ({
  id: 7,
  type,
  payload,
  metadata: { timestamp: "2026-01-01T00:00:00.000Z", actor: "tester", traceId: "t1", source },
});

describe("type globs", () => {
  it("matches exact types, prefixes with *, everything with *, and comma lists", () => {
    expect(matchesEventType("finished_good.*", "finished_good.deducted")).toBe(true);
    expect(matchesEventType("finished_good.*", "finished_goods.deducted")).toBe(false);
    expect(matchesEventType("finished_good.*", "batch.created")).toBe(false);
    expect(matchesEventType("*", "anything.at_all")).toBe(true);
    expect(matchesEventType("batch.stage_changed, supply.*", "supply.low_stock")).toBe(true);
    expect(matchesEventType("batch.stage_changed,supply.*", "batch.stage_changed")).toBe(true);
    expect(matchesEventType("batch.stage_changed,supply.*", "batch.created")).toBe(false);
    expect(matchesEventType("*.deleted", "batch.deleted")).toBe(true);
    expect(matchesEventType("", "batch.deleted")).toBe(false);
    expect(parseTypeGlobs(" a.* , ,b.c ")).toEqual(["a.*", "b.c"]);
  });

  it("treats regex characters literally", () => {
    expect(globMatch("a.b", "axb")).toBe(false);
    expect(globMatch("sales_(*)", "sales_(x)")).toBe(true);
  });
});

describe("JSON filters (seed 002)", () => {
  const e = env("import.completed", {
    file: "sales_march.csv",
    kind: "store_sales",
    rows_ok: 1500,
    rows_failed: 0,
    nested: { store: "north" },
  });

  it("resolves dotted paths against the envelope, the payload, and the seed's event_data alias", () => {
    expect(resolvePath(e, "payload.rows_ok")).toBe(1500);
    expect(resolvePath(e, "rows_ok")).toBe(1500);
    expect(resolvePath(e, "event_data.nested.store")).toBe("north");
    expect(resolvePath(e, "metadata.source")).toBe("api");
    expect(resolvePath(e, "type")).toBe("import.completed");
    expect(resolvePath(e, "payload.missing.deeper")).toBeUndefined();
  });

  it("matches the seed's example: glob value plus $gt", () => {
    expect(matchesFilter({ "event_data.file": "sales_*", "event_data.rows_ok": { $gt: 0 } }, e)).toBe(true);
    expect(matchesFilter({ "event_data.file": "papers_*", "event_data.rows_ok": { $gt: 0 } }, e)).toBe(false);
    expect(matchesFilter({ "payload.rows_ok": { $gt: 1500 } }, e)).toBe(false);
  });

  it("supports $gte $lt $lte $ne $in and equality", () => {
    expect(matchesFilter({ "payload.rows_ok": { $gte: 1500, $lte: 1500 } }, e)).toBe(true);
    expect(matchesFilter({ "payload.rows_ok": { $lt: 1500 } }, e)).toBe(false);
    expect(matchesFilter({ "payload.rows_failed": 0 }, e)).toBe(true);
    expect(matchesFilter({ "payload.kind": { $ne: "papers" } }, e)).toBe(true);
    expect(matchesFilter({ "payload.kind": { $ne: "store_*" } }, e)).toBe(false);
    expect(matchesFilter({ "metadata.source": { $in: ["web", "api"] } }, e)).toBe(true);
    expect(matchesFilter({ "metadata.source": { $in: ["web", "worker"] } }, e)).toBe(false);
    expect(matchesFilter({ "payload.nested.store": { $in: ["n*"] } }, e)).toBe(true);
  });

  it("a missing path fails comparisons and equality but passes $ne; null/empty filter matches all", () => {
    expect(matchesFilter({ "payload.nope": { $gt: 0 } }, e)).toBe(false);
    expect(matchesFilter({ "payload.nope": "x" }, e)).toBe(false);
    expect(matchesFilter({ "payload.nope": { $ne: "x" } }, e)).toBe(true);
    expect(matchesFilter(null, e)).toBe(true);
    expect(matchesFilter({}, e)).toBe(true);
    expect(matchesFilter({ "payload.rows_ok": { $gt: "10" } }, e)).toBe(false); // no cross-type comparison
  });

  it("reports bad filters", () => {
    expect(filterProblems({ "payload.x": { $regex: "a" } })).toHaveLength(1);
    expect(filterProblems({ "payload.x": { $in: "a" } })).toHaveLength(1);
    expect(filterProblems([1])).toHaveLength(1);
    expect(filterProblems({ "payload.x": { $gt: 1 }, y: "a*" })).toEqual([]);
  });

  it("subscriberWants combines type globs, filter and the active flag", () => {
    const s = { id: "s1", event_types: "finished_good.*", filter: { "payload.grams": { $gte: 100 } }, active: true };
    expect(subscriberWants(s, env("finished_good.deducted", { grams: 150 }))).toBe(true);
    expect(subscriberWants(s, env("finished_good.deducted", { grams: 50 }))).toBe(false);
    expect(subscriberWants({ ...s, active: false }, env("finished_good.deducted", { grams: 150 }))).toBe(false);
    expect(subscriberWants({ ...s, event_types: "*", filter: null }, env("test.ping", { message: "x", subscriber_id: "other" }))).toBe(
      false,
    );
    expect(subscriberWants({ ...s, event_types: "*", filter: null }, env("delivery.dead", { subscriber_id: "s1" }))).toBe(false);
  });
});

describe("retry schedule", () => {
  it("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with ±20 % jitter", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(baseDelayMs)).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6, 36e6]);
    expect(withJitter(1000, () => 0)).toBe(800);
    expect(withJitter(1000, () => 1)).toBe(1200);
    for (let i = 0; i < 50; i++) {
      const d = nextAttemptDelayMs(2);
      expect(d).toBeGreaterThanOrEqual(240_000);
      expect(d).toBeLessThanOrEqual(360_000);
    }
  });

  it("honours Retry-After (seconds or date), capped at an hour", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    const now = new Date("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(nextAttemptDelayMs(1, 120_000, () => 0.5)).toBe(120_000);
    expect(nextAttemptDelayMs(1, 10 * 3_600_000, () => 0.5)).toBe(3_600_000);
    expect(nextAttemptDelayMs(3, 1_000, () => 0.5)).toBe(1_800_000);
  });
});
