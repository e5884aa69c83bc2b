import type { AttemptResult } from "@/lib/events/delivery/store/types";

export const LEASE_LOST_NOTE = "lease lost before the result was recorded";

/**
 * One `delivery_attempts` row's values, in the stores' column order (delivery_id, attempt_number,
 * trigger, url, started_at, duration_ms, status_code, response_excerpt, error, next_attempt_at).
 * `lost`: the lease was gone when the result came back, so the attempt is kept but schedules
 * nothing. `iso` is the store's own timestamp text.
 */
export function attemptRow(r: AttemptResult, lost: boolean, iso: (d: Date) => string) {
  return [
    r.job.delivery.id,
    r.attempt,
    r.job.claim.trigger,
    r.result.url ?? null,
    iso(r.startedAt),
    r.durationMs,
    r.result.statusCode ?? null,
    r.result.responseExcerpt ?? null,
    r.result.ok ? (lost ? LEASE_LOST_NOTE : null) : (r.result.error ?? "failed"),
    lost || !r.nextAttemptAt ? null : iso(r.nextAttemptAt),
  ];
}
