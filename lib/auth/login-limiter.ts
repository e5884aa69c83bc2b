import { createRateLimiter, type RateLimiter } from "@/lib/http/rate-limit";
import { config } from "@/lib/config/env";

/**
 * Login attempts: 5 a minute per IP + username (the contract's /login rate) and 30 a minute per
 * IP across usernames; recovery: forgot 2/min, reset 5/min per IP. On the shared rate-limit module
 * (lib/http/rate-limit.ts): in memory, or in Redis across instances when REDIS_URL is set.
 * Built on first use, so REDIS_URL is read when the process runs, not when it is bundled.
 */
let limiters: { perUser: RateLimiter; perIp: RateLimiter; forgot: RateLimiter; reset: RateLimiter } | undefined;
function loginLimiters() {
  return (limiters ??= {
    perUser: createRateLimiter({ keyPrefix: "login_user", points: 5, durationSeconds: 60 }),
    perIp: createRateLimiter({ keyPrefix: "login_ip", points: 30, durationSeconds: 60 }),
    forgot: createRateLimiter({ keyPrefix: "forgot", points: 2, durationSeconds: 60 }),
    reset: createRateLimiter({ keyPrefix: "reset", points: 5, durationSeconds: 60 }),
  });
}

export class LoginRateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts. Try again in ${retryAfterSeconds} s.`);
  }
}

export async function consumeLoginAttempt(ip: string, username: string): Promise<void> {
  const { perUser, perIp } = loginLimiters();
  const results = await Promise.all([perUser.consume(`${ip}|${username.toLowerCase()}`), perIp.consume(ip)]);
  const refused = results.find((r) => !r.allowed);
  if (refused && !refused.allowed) throw new LoginRateLimitedError(refused.retryAfterSeconds);
}

/** A successful sign-in clears that user's failed attempts (tablets sharing one address stay unaffected). */
export async function clearLoginAttempts(ip: string, username: string): Promise<void> {
  await loginLimiters().perUser.reset(`${ip}|${username.toLowerCase()}`);
}

/** Seconds to wait when over the limit, else null. */
export async function consumeRecoveryAttempt(kind: "forgot" | "reset", ip: string): Promise<number | null> {
  const result = await loginLimiters()[kind].consume(ip);
  return result.allowed ? null : result.retryAfterSeconds;
}

/**
 * The client address for rate limits. Forwarded headers are only believed behind our own proxy
 * (TRUST_PROXY=true, set in deploy/ with nginx's X-Real-IP): anyone can send them, and Next only
 * fills X-Forwarded-For when it is absent. Without a trusted proxy every caller shares one bucket,
 * so the per-username limit still holds and spoofing a header buys nothing.
 */
export function clientIp(headers: Headers | Record<string, unknown>): string {
  if (!config().TRUST_PROXY) return "direct";
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return typeof v === "string" ? v : Array.isArray(v) ? String(v[0]) : undefined;
  };
  return get("x-real-ip") ?? get("x-forwarded-for")?.split(",")[0]?.trim() ?? "direct";
}
