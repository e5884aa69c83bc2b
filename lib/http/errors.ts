import type { z } from "zod";

/**
 * The one error type routes and domain code throw. Rendered as the SPEC §3 shape:
 * `{"error": "<human message>", "code": "<machine_code>", "details"?: {...}}` — `error` stays a
 * string because ApexAPI reads it so. `extra` adds contract fields beside it (wholesale's
 * `success:false`, a short deduct's `available_grams`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * Expected vs unexpected failures, decided in one place: an *expected* error is a refusal the code
 * meant to give — bad input, a missing record, a business-rule conflict, a limit (an ApiError in
 * the 4xx range) — so repeating the same request fails the same way and is nobody's bug. Anything
 * else (a bug, the database down, an ApiError meant as a server fault) is *unexpected*: logged,
 * reported, and worth a retry. Workers decide retry-or-give-up with this, not with status arithmetic.
 */
export function isExpectedError(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status >= 400 && err.status < 500;
}

export const badRequest = (message: string, details?: Record<string, unknown>, code = "bad_request") =>
  new ApiError(400, code, message, details);
export const unauthorized = (message = "Authentication required", code = "unauthorized") => new ApiError(401, code, message);
export const forbidden = (message = "You do not have permission to do this", code = "forbidden") => new ApiError(403, code, message);
export const notFound = (message = "Not found", code = "not_found") => new ApiError(404, code, message);
export const conflict = (message: string, details?: Record<string, unknown>, code = "conflict") =>
  new ApiError(409, code, message, details);
export const payloadTooLarge = () => new ApiError(413, "payload_too_large", "File too large (max 16 MB)");
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, "rate_limited", "Too many requests, try again later", { retry_after_seconds: retryAfterSeconds }, undefined, {
    "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

/** A temporary server-side refusal (e.g. the PostgreSQL write lock not granted in time): retry later. */
export const serviceUnavailable = (message: string, retryAfterSeconds: number, code = "unavailable") =>
  new ApiError(503, code, message, { retry_after_seconds: retryAfterSeconds }, undefined, {
    "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

/** A 400 whose details list every failing field: `{fields: {"counts_0_5": ["…"]}}`. */
export function validationError(error: z.ZodError, where: "body" | "query" | "params"): ApiError {
  // Paths can be keys the client chose ("constructor", "toString"): a plain {} would answer those.
  const fields = Object.create(null) as Record<string, string[]>;
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : where;
    (fields[key] ??= []).push(issue.message);
  }
  const first = Object.keys(fields)[0];
  const message = first && first !== where ? `Invalid value for ${first}` : `Invalid ${where}`;
  return new ApiError(400, "validation_failed", message, { location: where, fields });
}

export function errorBody(err: ApiError): Record<string, unknown> {
  return {
    ...(err.extra ?? {}),
    error: err.message,
    code: err.code,
    ...(err.details ? { details: err.details } : {}),
  };
}
