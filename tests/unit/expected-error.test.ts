import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, badRequest, conflict, isExpectedError, notFound, payloadTooLarge, tooManyRequests } from "@/lib/http/errors";

describe("isExpectedError: expected refusals vs unexpected failures", () => {
  it("the code's own refusals (bad input, missing, conflict, limits) are expected", () => {
    for (const err of [
      badRequest("no"),
      notFound(),
      conflict("taken"),
      payloadTooLarge(),
      tooManyRequests(3),
      new ApiError(422, "x", "x"),
    ]) {
      expect(isExpectedError(err), err.code).toBe(true);
    }
  });

  it("server faults and anything that is not an ApiError are unexpected (retry, log, report)", () => {
    const unexpected: unknown[] = [
      new ApiError(500, "internal_error", "boom"),
      new ApiError(502, "pushover_failed", "upstream"),
      new ApiError(503, "unavailable", "later"),
      new Error("SQLITE_BUSY"),
      new TypeError("undefined is not a function"),
      Object.assign(new Error("fake"), { status: 400 }), // a status alone does not make it one of ours
      new z.ZodError([]),
      null,
      undefined,
      "a string",
    ];
    for (const err of unexpected) expect(isExpectedError(err), String(err)).toBe(false);
  });
});
