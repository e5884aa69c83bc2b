import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { tooManyRequests } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { config } from "@/lib/config/env";

/**
 * Rate limits (SPEC §7), on rate-limiter-flexible. Counters live in memory, or in Redis when
 * REDIS_URL is set so that every app instance counts against the same budget. When Redis cannot
 * answer (down, slow, still connecting) a per-process memory limiter with the same budget takes
 * over for that call ("insurance"): limits keep holding and no request waits on Redis. That memory
 * limiter holds 1/INSTANCES of the budget, so N instances falling back together still hold the
 * global limit (they each see only their share of the traffic behind a load balancer).
 *
 * Users: the login limiter (lib/auth/login-limiter.ts) and the API limiter applied by route():
 * API_RATE_LIMIT_PER_MIN requests a minute per API key (default 6000) and SESSION_RATE_LIMIT_PER_MIN
 * per signed-in user (default 3000); 0 = off.
 */

export interface RateLimitOptions {
  /** Names the counter (and its Redis keys). */
  keyPrefix: string;
  /** Allowed per window. */
  points: number;
  durationSeconds: number;
  /** Store shared between instances. Default: the REDIS_URL connection, or none (memory). */
  redis?: Redis | null;
  /** Instances sharing the Redis budget (default INSTANCES): the insurance limiter's divisor. */
  instances?: number;
}

export type RateLimitResult = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

const REDIS_KEY_PREFIX = "preroll:rl:";

export class RateLimiter {
  readonly store: "memory" | "redis";
  readonly points: number;
  /** What this process allows on its own while Redis cannot answer (= points without Redis). */
  readonly insurancePoints: number;
  private readonly limiter: RateLimiterAbstract;

  constructor(options: RateLimitOptions) {
    const redis = options.redis === undefined ? sharedRedis() : options.redis;
    const base = { keyPrefix: options.keyPrefix, points: options.points, duration: options.durationSeconds };
    this.points = options.points;
    this.store = redis ? "redis" : "memory";
    const instances = Math.max(1, options.instances ?? config().INSTANCES);
    // At least 1: a budget smaller than the instance count still lets each instance serve someone.
    this.insurancePoints = redis ? Math.max(1, Math.floor(options.points / instances)) : options.points;
    this.limiter = redis
      ? new RateLimiterRedis({
          ...base,
          keyPrefix: REDIS_KEY_PREFIX + options.keyPrefix,
          storeClient: redis,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ ...base, points: this.insurancePoints }),
        })
      : new RateLimiterMemory(base);
  }

  /** Gives `points` back to `key` (a request that turned out not to count). Never throws. */
  async refund(key: string, points = 1): Promise<void> {
    try {
      await this.limiter.reward(key, points);
    } catch {
      // A store failure only means the request stays counted.
    }
  }

  /** Counts one attempt against `key`. Never throws for a store failure: limits must not take the app down. */
  async consume(key: string, points = 1): Promise<RateLimitResult> {
    try {
      const res = await this.limiter.consume(key, points);
      return { allowed: true, remaining: res.remainingPoints };
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      }
      logger.warn({ err, limiter: this.limiter.keyPrefix }, "rate limiter failed; request allowed");
      return { allowed: true, remaining: 0 };
    }
  }

  /** Forgets `key`'s attempts (a successful sign-in clears its failures). */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key).catch((err: unknown) => logger.warn({ err }, "rate limiter reset failed"));
  }
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  return new RateLimiter(options);
}

// ── The shared Redis connection ───────────────────────────────────────────────────────────────

let shared: Redis | null | undefined;
let lastRedisWarning = 0;

/**
 * One connection per process for all limiters, only when REDIS_URL is set. It never queues a
 * command while disconnected and gives up on a command after 500 ms, so a Redis outage costs a
 * request nothing (the insurance limiter answers); it keeps reconnecting in the background.
 */
export function sharedRedis(): Redis | null {
  if (shared !== undefined) return shared;
  const url = config().REDIS_URL?.trim();
  if (!url) return (shared = null);
  shared = newRateLimitRedis(url);
  return shared;
}

export function newRateLimitRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5_000),
  });
  client.on("error", (err: Error) => {
    // ioredis reports every failed reconnect; one line a minute is enough.
    if (Date.now() - lastRedisWarning < 60_000) return;
    lastRedisWarning = Date.now();
    logger.warn({ err: err.message }, "rate limit store (Redis) unavailable; counting in memory meanwhile");
  });
  return client;
}

/** Closes the shared connection (tests, shutdown). Limiters created before keep it. */
export async function closeSharedRedis(): Promise<void> {
  const client = shared;
  shared = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}

// ── API requests ─────────────────────────────────────────────────────────────────────────────

let apiLimiter: RateLimiter | null | undefined;
let sessionLimiter: RateLimiter | null | undefined;

/** The per-API-key limiter, built on first use from API_RATE_LIMIT_PER_MIN; null when that is 0. */
export function apiRateLimiter(): RateLimiter | null {
  if (apiLimiter !== undefined) return apiLimiter;
  const points = config().API_RATE_LIMIT_PER_MIN;
  apiLimiter = points === 0 ? null : createRateLimiter({ keyPrefix: "api", points, durationSeconds: 60 });
  return apiLimiter;
}

/** The per-user limiter for session requests, from SESSION_RATE_LIMIT_PER_MIN; null when that is 0. */
export function sessionRateLimiter(): RateLimiter | null {
  if (sessionLimiter !== undefined) return sessionLimiter;
  const points = config().SESSION_RATE_LIMIT_PER_MIN;
  sessionLimiter = points === 0 ? null : createRateLimiter({ keyPrefix: "session", points, durationSeconds: 60 });
  return sessionLimiter;
}

/** Rebuilds the API and session limiters from the environment on next use (tests change the limits). */
export function resetApiRateLimiter(): void {
  apiLimiter = undefined;
  sessionLimiter = undefined;
}

/** One request by an API key or a signed-in user; throws the 429 (`rate_limited`, Retry-After) when over budget. */
export async function consumeApiRequest(principal: { kind: string; id: string }): Promise<void> {
  const limiter = principal.kind === "api_key" ? apiRateLimiter() : sessionRateLimiter();
  if (!limiter) return;
  const result = await limiter.consume(`${principal.kind}:${principal.id}`);
  if (!result.allowed) throw tooManyRequests(result.retryAfterSeconds);
}

/**
 * A conditional poll answered 304 Not Modified does not count against the budget: it ran no query
 * (the answer is memoised per database version) and pollers such as ApexAPI's change detection
 * send one every few seconds. The request was consumed first, so a runaway client still meets the
 * limit on everything that is not a 304.
 */
export async function refundNotModified(principal: { kind: string; id: string }): Promise<void> {
  const limiter = principal.kind === "api_key" ? apiRateLimiter() : sessionRateLimiter();
  if (limiter) await limiter.refund(`${principal.kind}:${principal.id}`);
}
