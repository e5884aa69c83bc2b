import { describe, expect, it } from "vitest";
import { classifyNetworkError, classifyResponse, parseRetryAfter } from "@/lib/client/outbox/classify";

const NOW = Date.parse("2025-03-01T10:00:00Z");

describe("classifyResponse", () => {
  it("a 2xx is applied, with the body the hook layer applies", () => {
    expect(classifyResponse(200, { id: 1 }, null, NOW)).toEqual({ kind: "applied", body: { id: 1 } });
    expect(classifyResponse(201, { id: 2 }, null, NOW)).toEqual({ kind: "applied", body: { id: 2 } });
    expect(classifyResponse(204, null, null, NOW)).toEqual({ kind: "applied", body: null });
  });

  it("409 idempotent_response_lost counts as applied (the server did apply it), with no body", () => {
    const body = { error: "applied, response lost", code: "idempotent_response_lost" };
    expect(classifyResponse(409, body, null, NOW)).toEqual({ kind: "applied", body: null });
  });

  it("409 request_in_progress is retried after its Retry-After", () => {
    const body = { error: "still running", code: "request_in_progress" };
    expect(classifyResponse(409, body, "1", NOW)).toMatchObject({ kind: "retry", retryAfterMs: 1000 });
    expect(classifyResponse(409, body, null, NOW)).toMatchObject({ kind: "retry", retryAfterMs: null });
  });

  it("401 and 403 pause for a new sign-in", () => {
    expect(classifyResponse(401, { error: "Authentication required" }, null, NOW)).toEqual({ kind: "auth", status: 401 });
    expect(classifyResponse(403, { error: "nope" }, null, NOW)).toEqual({ kind: "auth", status: 403 });
  });

  it("408, 429 and 5xx are retried, honouring Retry-After in seconds or as an HTTP date", () => {
    expect(classifyResponse(408, null, null, NOW)).toMatchObject({ kind: "retry", retryAfterMs: null });
    expect(classifyResponse(429, { error: "Too many requests" }, "7", NOW)).toEqual({
      kind: "retry",
      error: "Server answered 429: Too many requests",
      retryAfterMs: 7000,
    });
    expect(classifyResponse(503, null, "Sat, 01 Mar 2025 10:00:30 GMT", NOW)).toMatchObject({ kind: "retry", retryAfterMs: 30_000 });
    expect(classifyResponse(500, "<html>", null, NOW)).toEqual({ kind: "retry", error: "Server answered 500", retryAfterMs: null });
    expect(classifyResponse(502, null, "garbage", NOW)).toMatchObject({ kind: "retry", retryAfterMs: null });
  });

  it("any other 4xx is a rejection carrying the server's message, code and field errors", () => {
    const body = { error: "Invalid value for counts_0_5", code: "validation_failed", details: { fields: { counts_0_5: ["Too big"] } } };
    expect(classifyResponse(400, body, null, NOW)).toEqual({
      kind: "rejected",
      rejection: { status: 400, code: "validation_failed", message: "Invalid value for counts_0_5", fields: { counts_0_5: ["Too big"] } },
    });
    expect(classifyResponse(409, { error: "Batch is already in Papers", code: "stage_conflict" }, null, NOW)).toEqual({
      kind: "rejected",
      rejection: { status: 409, code: "stage_conflict", message: "Batch is already in Papers", fields: {} },
    });
    expect(classifyResponse(409, { error: "reused", code: "idempotency_key_reused" }, null, NOW)).toMatchObject({
      kind: "rejected",
      rejection: { code: "idempotency_key_reused" },
    });
    for (const status of [404, 410, 422]) {
      expect(classifyResponse(status, null, null, NOW)).toEqual({
        kind: "rejected",
        rejection: { status, code: null, message: `Request failed (${status})`, fields: {} },
      });
    }
  });

  it("an unexpected status is not taken as proof the change landed", () => {
    expect(classifyResponse(302, null, null, NOW)).toMatchObject({ kind: "retry" });
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates; a past date is 0; absent or unreadable is null", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 09:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter(" ", NOW)).toBeNull();
    expect(parseRetryAfter("soon", NOW)).toBeNull();
  });
});

describe("classifyNetworkError", () => {
  it("a network failure or the request timeout is retried", () => {
    expect(classifyNetworkError(new TypeError("fetch failed"))).toEqual({
      kind: "retry",
      error: "Network error: fetch failed",
      retryAfterMs: null,
    });
    expect(classifyNetworkError(new DOMException("aborted", "AbortError"))).toEqual({
      kind: "retry",
      error: "The server did not answer in time",
      retryAfterMs: null,
    });
  });
});
