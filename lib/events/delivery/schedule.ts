/**
 * Retry schedule (SPEC §8, Svix's): the first attempt immediately, then 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h after each failure, ±20 % jitter. A `Retry-After` answer is honoured (never
 * retried sooner than asked) up to a cap.
 */

const S = 1000;
const M = 60 * S;
const H = 60 * M;
/** Delay before attempt n+1 after attempt n failed: index n-1. */
export const RETRY_DELAYS_MS = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H];
export const RETRY_AFTER_CAP_MS = 1 * H;
export const JITTER = 0.2;

/** Delay after failed attempt `attempt` (1-based), before jitter. */
export function baseDelayMs(attempt: number): number {
  const i = Math.min(Math.max(attempt, 1), RETRY_DELAYS_MS.length) - 1;
  return RETRY_DELAYS_MS[i];
}

export function withJitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 + (random() * 2 - 1) * JITTER));
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), null when absent/invalid. */
export function parseRetryAfter(header: string | null | undefined, now: Date = new Date()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** When to try again after failed attempt `attempt`. */
export function nextAttemptDelayMs(attempt: number, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const scheduled = withJitter(baseDelayMs(attempt), random);
  if (retryAfterMs === null) return scheduled;
  return Math.max(scheduled, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}
