import { describe, expect, it } from "vitest";
import type { ErrorEvent } from "@sentry/core";
import { dropNetworkNoise, isNetworkNoise } from "@/lib/observability/sentry-filter";
import { sentryOptions } from "@/lib/observability/sentry-options";

/** Sentry's beforeSend: network noise (SPEC §7) is dropped, real errors go through. */

const event = (type: string, value: string): ErrorEvent => ({ type: undefined, exception: { values: [{ type, value }] } });
const withCode = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });

describe("dropNetworkNoise", () => {
  it("drops resets, broken pipes, timeouts, hang-ups and aborts", () => {
    const noise = [
      withCode("ECONNRESET", "read ECONNRESET"),
      withCode("EPIPE", "write EPIPE"),
      withCode("ETIMEDOUT"),
      new Error("socket hang up"),
      Object.assign(new Error("This operation was aborted"), { name: "AbortError" }),
      Object.assign(new Error("The operation timed out"), { name: "TimeoutError" }),
      // undici's "fetch failed" carries the socket error as its cause
      new TypeError("fetch failed", { cause: withCode("ECONNRESET") }),
    ];
    for (const error of noise) {
      expect(isNetworkNoise(error), String(error)).toBe(true);
      expect(dropNetworkNoise(event(error.name, error.message), { originalException: error })).toBeNull();
    }
  });

  it("judges the event itself when the original error is not at hand", () => {
    expect(dropNetworkNoise(event("Error", "read ECONNRESET"))).toBeNull();
    expect(dropNetworkNoise(event("AbortError", "signal is aborted without reason"))).toBeNull();
  });

  it("keeps real errors", () => {
    const real = [
      new TypeError("Cannot read properties of undefined (reading 'grams')"),
      Object.assign(new Error("Unique constraint failed"), { code: "P2002" }),
      new Error("Transaction aborted by the application"),
    ];
    for (const error of real) {
      const e = event(error.name, error.message);
      expect(dropNetworkNoise(e, { originalException: error }), error.message).toBe(e);
    }
  });
});

describe("sentryOptions", () => {
  it("is null without a DSN: nothing is initialised, nothing sent", () => {
    expect(sentryOptions("web", { dsn: undefined })).toBeNull();
    expect(sentryOptions("worker", { dsn: "  " })).toBeNull();
  });

  it("with a DSN: 5 % of traces, no PII, the noise filter, release and environment", () => {
    const options = sentryOptions("worker", {
      dsn: "https://key@o1.ingest.sentry.io/2",
      release: "preroll-tracker@abc123",
      environment: "production",
    });
    expect(options).toMatchObject({
      dsn: "https://key@o1.ingest.sentry.io/2",
      tracesSampleRate: 0.05,
      sendDefaultPii: false,
      release: "preroll-tracker@abc123",
      environment: "production",
    });
    expect(options!.beforeSend).toBe(dropNetworkNoise);
    expect(sentryOptions("web", { dsn: "https://k@h/1", tracesSampleRate: "0.2" })!.tracesSampleRate).toBe(0.2);
    // No release key at all when unknown, so the SDK's build-time release stays in force.
    expect("release" in sentryOptions("web", { dsn: "https://k@h/1" })!).toBe(false);
  });
});
