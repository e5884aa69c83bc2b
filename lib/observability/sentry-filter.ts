import type { ErrorEvent, EventHint } from "@sentry/core";

/**
 * Network noise Sentry should not hear about (the existing system's `before_send` did the same):
 * a client that hung up, a peer that reset the connection, a timeout or an aborted request. They
 * are normal on tablets with flaky Wi-Fi and on webhook receivers that go away; logs keep them.
 */
const NOISY_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "UND_ERR_SOCKET", "ERR_STREAM_PREMATURE_CLOSE"]);
const NOISY_NAMES = new Set(["AbortError", "TimeoutError", "ResponseAborted"]);
const NOISY_TEXT = /\b(ECONNRESET|EPIPE|ETIMEDOUT)\b|socket hang up|\boperation was aborted\b/i;

/** True for an error (or any error in its `cause` chain) that is only network noise. */
export function isNetworkNoise(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === "string" && NOISY_CODES.has(e.code)) return true;
  if (typeof e.name === "string" && NOISY_NAMES.has(e.name)) return true;
  if (typeof e.message === "string" && NOISY_TEXT.test(e.message)) return true;
  return isNetworkNoise(e.cause, depth + 1);
}

/** `beforeSend`: drops noise, judged on the original error when there is one, else on the event. */
export function dropNetworkNoise(event: ErrorEvent, hint?: EventHint): ErrorEvent | null {
  if (hint?.originalException !== undefined && isNetworkNoise(hint.originalException)) return null;
  for (const value of event.exception?.values ?? []) {
    if ((value.type && NOISY_NAMES.has(value.type)) || (value.value && NOISY_TEXT.test(value.value))) return null;
  }
  return event;
}
