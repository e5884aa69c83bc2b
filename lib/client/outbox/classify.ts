import type { OutboxRejection, SendOutcome } from "./types";

/**
 * What one answer of the server means for an outbox entry. The rule that matters: only a 2xx (or
 * the server saying it applied the change) removes an entry; anything that may succeed later keeps
 * it, with the same Idempotency-Key, so nothing is lost and nothing applies twice.
 */

interface ErrorBody {
  error?: unknown;
  code?: unknown;
  details?: { fields?: unknown };
}

/** Retry-After as ms: delay-seconds or an HTTP date (SPEC §3 sends seconds); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

function errorBody(body: unknown): ErrorBody {
  return body !== null && typeof body === "object" ? (body as ErrorBody) : {};
}

function rejection(status: number, body: unknown): OutboxRejection {
  const b = errorBody(body);
  const fields = b.details?.fields;
  return {
    status,
    code: typeof b.code === "string" ? b.code : null,
    message: typeof b.error === "string" && b.error !== "" ? b.error : `Request failed (${status})`,
    fields: fields !== null && typeof fields === "object" ? (fields as Record<string, string[]>) : {},
  };
}

export function classifyResponse(status: number, body: unknown, retryAfter: string | null, now: number = Date.now()): SendOutcome {
  if (status >= 200 && status < 300) return { kind: "applied", body };
  const code = errorBody(body).code;
  if (status === 409 && code === "idempotent_response_lost") return { kind: "applied", body: null };
  if (status === 409 && code === "request_in_progress") {
    return { kind: "retry", error: "The server is still processing this change", retryAfterMs: parseRetryAfter(retryAfter, now) };
  }
  if (status === 401 || status === 403) return { kind: "auth", status };
  if (status === 408 || status === 429 || status >= 500) {
    const message = typeof errorBody(body).error === "string" ? `: ${errorBody(body).error as string}` : "";
    return { kind: "retry", error: `Server answered ${status}${message}`, retryAfterMs: parseRetryAfter(retryAfter, now) };
  }
  if (status >= 400 && status < 500) return { kind: "rejected", rejection: rejection(status, body) };
  // 1xx/3xx never reach fetch normally (an opaque redirect, a proxy oddity): not proof it applied.
  return { kind: "retry", error: `Unexpected answer ${status}`, retryAfterMs: null };
}

/** A fetch that threw (offline, DNS, reset) or was aborted by the timeout: the change may or may not have landed. */
export function classifyNetworkError(err: unknown): SendOutcome {
  const name = err !== null && typeof err === "object" ? (err as { name?: unknown }).name : undefined;
  if (name === "AbortError" || name === "TimeoutError")
    return { kind: "retry", error: "The server did not answer in time", retryAfterMs: null };
  const message = err instanceof Error && err.message ? err.message : String(err);
  return { kind: "retry", error: `Network error: ${message}`, retryAfterMs: null };
}
