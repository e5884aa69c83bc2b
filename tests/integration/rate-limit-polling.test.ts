import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { apiRateLimiter, resetApiRateLimiter } from "@/lib/http/rate-limit";
import { call } from "@/tests/helpers/http";
import { createApiKey } from "@/prisma/seed/user";
import * as apexCalculate from "@/app/api/finished-goods/[metrc]/apex-calculate/route";
import * as dataRoute from "@/app/api/data/route";
import * as fgLastUpdated from "@/app/api/finished-goods/last-updated/route";
import * as batchesLastUpdated from "@/app/api/batches/last-updated/route";

/**
 * The default API budget against ApexAPI's documented polling (EXISTING-SYSTEM §1.6): apex-calculate
 * for every active package every 5 s, i.e. 12 a minute per package, with the last-updated and
 * /api/data polls on top. A facility with 300 active packages must never see a 429 from that; a
 * runaway client (a loop without a sleep) must still be stopped.
 *
 * The limiter counts in fixed 60 s windows from a key's first request, so one simulated minute of
 * polling is sent as fast as the process can (the whole minute lands in one window — the worst
 * case for the budget) and the test runs in seconds.
 */

const PACKAGES = 300;
const POLLS_PER_MINUTE = 12; // every 5 s
let metrcs: string[] = [];

beforeAll(async () => {
  delete process.env.REDIS_URL;
  delete process.env.API_RATE_LIMIT_PER_MIN; // the default is what is under test
  resetApiRateLimiter();
  metrcs = Array.from({ length: PACKAGES }, (_, i) => `1A4POLL${String(i).padStart(17, "0")}`);
  await db.finishedGood.createMany({
    data: metrcs.map((metrc_number, i) => ({ metrc_number, strain: `Strain ${i % 25}`, initial_grams: 500, current_grams: 500 })),
  });
});
afterAll(() => resetApiRateLimiter());

describe("default API rate limit vs ApexAPI polling", () => {
  it("lets one key poll apex-calculate for 300 packages every 5 s, plus the other polls, for a minute without a 429", async () => {
    const { key } = await createApiKey(db, { name: "ApexAPI" });
    const headers = { "x-api-key": key };
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    let fgEtag = "";
    let batchesEtag = "";

    for (let poll = 0; poll < POLLS_PER_MINUTE; poll++) {
      // ApexAPI's sync pass: every package at once.
      const results = await Promise.all(
        metrcs.map((metrc) => call(apexCalculate.GET, { path: `/api/finished-goods/${metrc}/apex-calculate`, params: { metrc }, headers })),
      );
      for (const r of results) count(r.status);
      // Everything else the same key polls every 5 s: change detection (conditional) and the batch list.
      const fg = await call(fgLastUpdated.GET, {
        path: "/api/finished-goods/last-updated",
        headers: { ...headers, "if-none-match": fgEtag },
      });
      fgEtag = fg.headers.get("etag") ?? fgEtag;
      const batches = await call(batchesLastUpdated.GET, {
        path: "/api/batches/last-updated",
        headers: { ...headers, "if-none-match": batchesEtag },
      });
      batchesEtag = batches.headers.get("etag") ?? batchesEtag;
      const data = await call(dataRoute.GET, { path: "/api/data", headers });
      for (const r of [fg, batches, data]) count(r.status);
    }

    expect(statuses.get(429) ?? 0).toBe(0);
    expect(statuses.get(200)).toBeGreaterThanOrEqual(PACKAGES * POLLS_PER_MINUTE);
    // Headroom for bursts, retries and the rest (decrements, sync status, a second tool): at least 50 % more.
    expect(apiRateLimiter()!.points).toBeGreaterThanOrEqual(PACKAGES * POLLS_PER_MINUTE * 1.5);
  }, 120_000);

  it("still answers 429 to a runaway client that goes past the budget", async () => {
    const { key, id } = await createApiKey(db, { name: "runaway" });
    const limiter = apiRateLimiter()!;
    // A loop without a sleep: the whole budget in one go (counted directly; sending it through route() adds nothing).
    expect((await limiter.consume(`api_key:${id}`, limiter.points)).allowed).toBe(true);
    const over = await call(apexCalculate.GET, {
      path: `/api/finished-goods/${metrcs[0]}/apex-calculate`,
      params: { metrc: metrcs[0] },
      headers: { "x-api-key": key },
    });
    expect(over.status).toBe(429);
    expect(over.json).toMatchObject({ code: "rate_limited" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("does not count conditional polls answered 304, but counts everything else", async () => {
    process.env.API_RATE_LIMIT_PER_MIN = "10";
    resetApiRateLimiter();
    try {
      const { key } = await createApiKey(db, { name: "etag poller" });
      const headers = { "x-api-key": key };
      const first = await call(fgLastUpdated.GET, { path: "/api/finished-goods/last-updated", headers });
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag")!;
      // Fifty change-detection polls that find nothing new: five times the budget, none refused.
      const polls = [];
      for (let i = 0; i < 50; i++) {
        polls.push(
          await call(fgLastUpdated.GET, { path: "/api/finished-goods/last-updated", headers: { ...headers, "if-none-match": etag } }),
        );
      }
      expect(polls.map((r) => r.status)).toEqual(Array(50).fill(304));
      // Full answers still count: the first poll plus nine more use the budget of 10, the next is refused.
      const full = [];
      for (let i = 0; i < 10; i++) full.push((await call(fgLastUpdated.GET, { path: "/api/finished-goods/last-updated", headers })).status);
      expect(full.slice(0, 9)).toEqual(Array(9).fill(200));
      expect(full[9]).toBe(429);
    } finally {
      delete process.env.API_RATE_LIMIT_PER_MIN;
      resetApiRateLimiter();
    }
  });
});
