import { redisUnreachable, TEST_REDIS_URL } from "@/tests/helpers/redis";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { apiRateLimiter, createRateLimiter, newRateLimitRedis, resetApiRateLimiter, sessionRateLimiter } from "@/lib/http/rate-limit";
import { call, sessionHeaders } from "@/tests/helpers/http";
import { createApiKey, createUser } from "@/prisma/seed/user";
import * as dataRoute from "@/app/api/data/route";
import * as healthRoute from "@/app/api/health/route";

/**
 * Rate limits (SPEC §7): per API key and per signed-in user through route() → 429 with Retry-After
 * in the error shape; counters shared across instances through Redis when configured, with a memory
 * limiter taking over when Redis is away. The Redis test uses the local server (REDIS_URL, else
 * 127.0.0.1:6379) and skips loudly when none is reachable.
 */

const LIMIT = 3;
beforeAll(() => {
  delete process.env.REDIS_URL; // the API limiter under test counts in memory
  process.env.API_RATE_LIMIT_PER_MIN = String(LIMIT);
  process.env.SESSION_RATE_LIMIT_PER_MIN = String(LIMIT);
  resetApiRateLimiter();
});
afterAll(() => {
  delete process.env.API_RATE_LIMIT_PER_MIN;
  delete process.env.SESSION_RATE_LIMIT_PER_MIN;
  resetApiRateLimiter();
});

const data = (headers: Record<string, string>) => call(dataRoute.GET, { path: "/api/data", headers });

describe("API rate limit in route()", () => {
  it("answers 429 with Retry-After and the error shape once a key has used its budget", async () => {
    const key = await createApiKey(db, { name: "limited" });
    for (let i = 0; i < LIMIT; i++) expect((await data({ "x-api-key": key.key })).status).toBe(200);
    const limited = await data({ "x-api-key": key.key });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json).toMatchObject({ error: expect.any(String), code: "rate_limited", details: { retry_after_seconds: retryAfter } });
    expect(limited.headers.get("x-trace-id")).toBeTruthy();
  });

  it("counts each key and each user separately", async () => {
    const a = await createApiKey(db, { name: "a" });
    const b = await createApiKey(db, { name: "b" });
    for (let i = 0; i < LIMIT; i++) await data({ "x-api-key": a.key });
    expect((await data({ "x-api-key": a.key })).status).toBe(429);
    expect((await data({ "x-api-key": b.key })).status).toBe(200);

    const alice = await sessionHeaders(await createUser(db, { role: "viewer" }));
    const bob = await sessionHeaders(await createUser(db, { role: "viewer" }));
    for (let i = 0; i < LIMIT; i++) expect((await data(alice)).status).toBe(200);
    expect((await data(alice)).status).toBe(429);
    expect((await data(bob)).status).toBe(200);
  });

  it("leaves public routes alone", async () => {
    for (let i = 0; i < LIMIT * 3; i++) expect((await call(healthRoute.GET, { path: "/api/health" })).status).toBe(200);
  });

  it("is off with API_RATE_LIMIT_PER_MIN=0", async () => {
    process.env.API_RATE_LIMIT_PER_MIN = "0";
    resetApiRateLimiter();
    try {
      const key = await createApiKey(db, { name: "unlimited" });
      for (let i = 0; i < LIMIT * 3; i++) expect((await data({ "x-api-key": key.key })).status).toBe(200);
    } finally {
      process.env.API_RATE_LIMIT_PER_MIN = String(LIMIT);
      resetApiRateLimiter();
    }
  });

  it("gives keys and signed-in users their own budgets (SESSION_RATE_LIMIT_PER_MIN for users)", async () => {
    process.env.SESSION_RATE_LIMIT_PER_MIN = String(LIMIT * 2);
    resetApiRateLimiter();
    try {
      const carol = await sessionHeaders(await createUser(db, { role: "viewer" }));
      for (let i = 0; i < LIMIT * 2; i++) expect((await data(carol)).status).toBe(200);
      expect((await data(carol)).status).toBe(429);
      const key = await createApiKey(db, { name: "key-budget" });
      for (let i = 0; i < LIMIT; i++) expect((await data({ "x-api-key": key.key })).status).toBe(200);
      expect((await data({ "x-api-key": key.key })).status).toBe(429);
    } finally {
      process.env.SESSION_RATE_LIMIT_PER_MIN = String(LIMIT);
      resetApiRateLimiter();
    }
  });
});

describe("the default budget", () => {
  it("is 6000 a minute (ApexAPI polling 300 packages every 5 s) and lets one key make 100 requests at once (e2e's 100 parallel deducts)", async () => {
    delete process.env.API_RATE_LIMIT_PER_MIN;
    resetApiRateLimiter();
    try {
      const limiter = apiRateLimiter()!;
      expect(limiter.points).toBe(6000);
      const oneKey = `api_key:${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 100 }, () => limiter.consume(oneKey)));
      expect(results.every((r) => r.allowed)).toBe(true);
      // 20 shared-account tablets polling 5 endpoints every 5 s is 1 200 a minute.
      delete process.env.SESSION_RATE_LIMIT_PER_MIN;
      resetApiRateLimiter();
      expect(sessionRateLimiter()!.points).toBe(3000);
    } finally {
      process.env.API_RATE_LIMIT_PER_MIN = String(LIMIT);
      process.env.SESSION_RATE_LIMIT_PER_MIN = String(LIMIT);
      resetApiRateLimiter();
    }
  });
});

const REDIS = TEST_REDIS_URL;
const redisDown = await redisUnreachable("shared rate limit test");

describe("Redis-backed limits", () => {
  it.skipIf(!!redisDown)("two instances share one budget", async () => {
    const [one, two] = [newRateLimitRedis(REDIS), newRateLimitRedis(REDIS)];
    try {
      await Promise.all([one, two].map((c) => new Promise((resolve) => (c.status === "ready" ? resolve(null) : c.once("ready", resolve)))));
      const prefix = `test-${randomUUID()}`;
      const a = createRateLimiter({ keyPrefix: prefix, points: 3, durationSeconds: 60, redis: one });
      const b = createRateLimiter({ keyPrefix: prefix, points: 3, durationSeconds: 60, redis: two });
      expect(a.store).toBe("redis");
      expect((await a.consume("key:1")).allowed).toBe(true);
      expect((await b.consume("key:1")).allowed).toBe(true);
      expect((await a.consume("key:1")).allowed).toBe(true);
      const refused = await b.consume("key:1");
      expect(refused).toMatchObject({ allowed: false });
      expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((await b.consume("key:2")).allowed).toBe(true);
      await a.reset("key:1");
      expect((await b.consume("key:1")).allowed).toBe(true);
    } finally {
      await Promise.all([one.quit(), two.quit()]);
    }
  });

  it("keeps limiting in memory, without waiting, when Redis cannot be reached", async () => {
    const dead = newRateLimitRedis("redis://127.0.0.1:1"); // nothing listens on port 1
    try {
      const limiter = createRateLimiter({ keyPrefix: `down-${randomUUID()}`, points: 2, durationSeconds: 60, redis: dead });
      const started = performance.now();
      const results = [await limiter.consume("k"), await limiter.consume("k"), await limiter.consume("k")];
      expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      dead.disconnect();
    }
  });

  it("divides the in-memory insurance budget by the instance count (INSTANCES), so N instances falling back hold the global limit", async () => {
    const dead = newRateLimitRedis("redis://127.0.0.1:1");
    try {
      const limiter = createRateLimiter({ keyPrefix: `split-${randomUUID()}`, points: 9, durationSeconds: 60, redis: dead, instances: 3 });
      expect(limiter.insurancePoints).toBe(3);
      const results = [];
      for (let i = 0; i < 4; i++) results.push((await limiter.consume("k")).allowed);
      expect(results).toEqual([true, true, true, false]);
      // A budget below the instance count still leaves each instance one request.
      expect(createRateLimiter({ keyPrefix: "tiny", points: 2, durationSeconds: 60, redis: dead, instances: 5 }).insurancePoints).toBe(1);
    } finally {
      dead.disconnect();
    }
  });

  it("takes the instance count from INSTANCES, and leaves a memory-only limiter (one instance, no Redis) its whole budget", async () => {
    const dead = newRateLimitRedis("redis://127.0.0.1:1");
    process.env.INSTANCES = "4";
    process.env.REDIS_URL = "redis://127.0.0.1:1"; // INSTANCES > 1 requires it
    try {
      expect(createRateLimiter({ keyPrefix: "env", points: 100, durationSeconds: 60, redis: dead }).insurancePoints).toBe(25);
    } finally {
      delete process.env.INSTANCES;
      delete process.env.REDIS_URL;
      dead.disconnect();
    }
    const memory = createRateLimiter({ keyPrefix: "mem", points: 100, durationSeconds: 60, redis: null });
    expect(memory.store).toBe("memory");
    expect(memory.insurancePoints).toBe(100);
  });
});
