import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Login attempts: 5 a minute per IP + username (the contract's /login rate) and 30 a minute per
 * IP across usernames. Memory by default; the Redis store arrives with the operations issue.
 */
const perUser = new RateLimiterMemory({ keyPrefix: "login_user", points: 5, duration: 60 });
const perIp = new RateLimiterMemory({ keyPrefix: "login_ip", points: 30, duration: 60 });

export class LoginRateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts. Try again in ${retryAfterSeconds} s.`);
  }
}

export async function consumeLoginAttempt(ip: string, username: string): Promise<void> {
  try {
    await Promise.all([perUser.consume(`${ip}|${username.toLowerCase()}`), perIp.consume(ip)]);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new LoginRateLimitedError(Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}

/** A successful sign-in clears that user's failed attempts (tablets sharing one address stay unaffected). */
export async function clearLoginAttempts(ip: string, username: string): Promise<void> {
  await perUser.delete(`${ip}|${username.toLowerCase()}`);
}

/** Same shape of limiter for the recovery flow: forgot 2/min, reset 5/min per IP. */
const recovery = {
  forgot: new RateLimiterMemory({ keyPrefix: "forgot", points: 2, duration: 60 }),
  reset: new RateLimiterMemory({ keyPrefix: "reset", points: 5, duration: 60 }),
};

export async function consumeRecoveryAttempt(kind: keyof typeof recovery, ip: string): Promise<number | null> {
  try {
    await recovery[kind].consume(ip);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.ceil(err.msBeforeNext / 1000);
    throw err;
  }
}

/**
 * The client address for rate limits. Forwarded headers are only believed behind our own proxy
 * (TRUST_PROXY=true, set in deploy/ with nginx's X-Real-IP): anyone can send them, and Next only
 * fills X-Forwarded-For when it is absent. Without a trusted proxy every caller shares one bucket,
 * so the per-username limit still holds and spoofing a header buys nothing.
 */
export function clientIp(headers: Headers | Record<string, unknown>): string {
  if (process.env.TRUST_PROXY !== "true") return "direct";
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return typeof v === "string" ? v : Array.isArray(v) ? String(v[0]) : undefined;
  };
  return get("x-real-ip") ?? get("x-forwarded-for")?.split(",")[0]?.trim() ?? "direct";
}
