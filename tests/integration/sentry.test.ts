import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getClient } from "@sentry/core";
import { route } from "@/lib/http/route";
import { initWorkerSentry } from "@/lib/observability/sentry-node";
import { flushSentry, reportError } from "@/lib/observability/sentry";
import { call } from "@/tests/helpers/http";

/** Built at run time: Sentry sends source context lines, and a literal here would show up in them. */
const SESSION_COOKIE = ["secret", "cookie", String(process.pid)].join("-");

/**
 * Sentry (SPEC §7): without SENTRY_DSN nothing starts and nothing is sent; with one, route()'s 500s
 * reach Sentry — here a local HTTP server posing as Sentry's ingest — with their traceId, and
 * network noise does not. The "off" tests run first: starting Sentry is once per process.
 */

const envelopes: string[] = [];
let server: http.Server;
let dsn: string;

beforeAll(async () => {
  delete process.env.SENTRY_DSN;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      envelopes.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  dsn = `http://publickey@127.0.0.1:${(server.address() as AddressInfo).port}/42`;
});
afterAll(async () => {
  delete process.env.SENTRY_DSN;
  await new Promise((resolve) => server.close(resolve));
});

interface SentryEvent {
  exception: { values: { type: string; value: string }[] };
  release?: string;
  tags?: Record<string, string>;
}

/** Error events out of the envelopes received (an envelope: a header line, then item header / payload pairs). */
function errorEvents(): SentryEvent[] {
  const out: SentryEvent[] = [];
  for (const envelope of envelopes) {
    const lines = envelope
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (let i = 1; i + 1 < lines.length; i += 2) if (lines[i].type === "event") out.push(lines[i + 1] as unknown as SentryEvent);
  }
  return out;
}

const failing = (error: Error) =>
  route({ auth: "public", role: "viewer" }, () => {
    throw error;
  });

describe("without SENTRY_DSN", () => {
  it("does not start Sentry, and a 500 is still an ordinary error response", async () => {
    expect(initWorkerSentry()).toBe(false);
    expect(getClient()).toBeUndefined();
    expect(await reportError(new Error("ignored"))).toBeUndefined();
    const res = await call(failing(new Error("kaput")), { path: "/api/kaput" });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "An internal error occurred", code: "internal_error" });
    await flushSentry(200);
    expect(envelopes).toHaveLength(0);
  });
});

describe("with SENTRY_DSN", () => {
  it("sends route() 500s with their traceId, no PII, and drops network noise", async () => {
    process.env.SENTRY_DSN = dsn;
    process.env.SENTRY_RELEASE = "preroll-tracker@test";
    try {
      expect(initWorkerSentry()).toBe(true);
      expect(getClient()?.getOptions()).toMatchObject({ tracesSampleRate: 0.05, sendDefaultPii: false, release: "preroll-tracker@test" });

      const res = await call(failing(new Error("ledger exploded")), {
        path: "/api/ledger",
        headers: { "x-trace-id": "trace-for-sentry-1", cookie: `next-auth.session-token=${SESSION_COOKIE}` },
      });
      expect(res.status).toBe(500);
      const noisy = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
      expect((await call(failing(noisy), { path: "/api/noisy" })).status).toBe(500);
      await flushSentry(5_000);

      const events = errorEvents();
      expect(events.map((e) => e.exception.values[0].value)).toEqual(["ledger exploded"]);
      expect(events[0]).toMatchObject({ release: "preroll-tracker@test", tags: { traceId: "trace-for-sentry-1" } });
      expect(envelopes.join("\n")).not.toContain(SESSION_COOKIE);
    } finally {
      delete process.env.SENTRY_RELEASE;
    }
  });
});
