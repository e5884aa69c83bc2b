import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { route } from "@/lib/http/route";
import { routePattern, setRequestLogger } from "@/lib/observability/request-log";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as dataRoute from "@/app/api/data/route";
import * as lastUpdatedRoute from "@/app/api/batches/last-updated/route";
import * as rateHistoryRoute from "@/app/api/batch/[id]/rate-history/route";
import * as healthRoute from "@/app/api/health/route";

/**
 * One structured log line per API request from route(): traceId, actor, method, route pattern,
 * status, duration_ms, at a level that follows the status. Captured through the app's own logger
 * settings (lib/log.ts) writing into memory.
 */

interface Line {
  level: number;
  msg: string;
  traceId: string;
  actor: string;
  method: string;
  route: string;
  status: number;
  duration_ms: number;
  service: string;
}
const lines: Line[] = [];
let p: Awaited<ReturnType<typeof createPrincipals>>;

beforeAll(async () => {
  setRequestLogger(createLogger({ write: (s: string) => void lines.push(JSON.parse(s)) }, "info"));
  p = await createPrincipals();
});
afterAll(() => setRequestLogger(null));

async function logged(run: () => Promise<{ status: number; headers: Headers }>) {
  lines.length = 0;
  const res = await run();
  expect(lines, JSON.stringify(lines)).toHaveLength(1);
  return { res, line: lines[0] };
}

describe("request log", () => {
  it("writes traceId, actor, method, route, status and duration for an API-key request", async () => {
    const { res, line } = await logged(() => call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey }));
    expect(res.status).toBe(200);
    expect(line).toMatchObject({
      level: 30,
      msg: "request",
      actor: "api-key:ApexAPI",
      method: "GET",
      route: "/api/data",
      status: 200,
      service: "web",
    });
    expect(line.traceId).toBe(res.headers.get("x-trace-id"));
    expect(line.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("logs the route pattern, not the id, and warns on a 4xx", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const { res, line } = await logged(() =>
      call(rateHistoryRoute.GET, { path: `/api/batch/${id}/rate-history`, params: { id }, headers: p.headers.operator }),
    );
    expect(res.status).toBe(404);
    expect(line).toMatchObject({ level: 40, actor: "operator", route: "/api/batch/[id]/rate-history", status: 404 });
  });

  it("logs a 304 poll at debug level only, so polls do not bury the info log", async () => {
    const first = await call(lastUpdatedRoute.GET, { path: "/api/batches/last-updated", headers: p.headers.apiKey });
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    lines.length = 0;
    const res = await call(lastUpdatedRoute.GET, {
      path: "/api/batches/last-updated",
      headers: { ...p.headers.apiKey, "if-none-match": etag },
    });
    expect(res.status).toBe(304);
    expect(lines).toHaveLength(0); // the test logger is at info
    setRequestLogger(createLogger({ write: (s: string) => void lines.push(JSON.parse(s)) }, "debug"));
    try {
      const { line } = await logged(() =>
        call(lastUpdatedRoute.GET, { path: "/api/batches/last-updated", headers: { ...p.headers.apiKey, "if-none-match": etag } }),
      );
      expect(line).toMatchObject({ level: 20, status: 304, route: "/api/batches/last-updated" });
    } finally {
      setRequestLogger(createLogger({ write: (s: string) => void lines.push(JSON.parse(s)) }, "info"));
    }
  });

  it("logs anonymous callers and refusals before authentication", async () => {
    const refused = await logged(() => call(dataRoute.GET, { path: "/api/data" }));
    expect(refused.line).toMatchObject({ level: 40, actor: "anonymous", status: 401, route: "/api/data" });
    const health = await logged(() => call(healthRoute.GET, { path: "/api/health" }));
    expect(health.line).toMatchObject({ level: 30, actor: "anonymous", status: 200, route: "/api/health" });
  });

  it("logs a 500 at error level, keeping the caller's valid X-Trace-Id", async () => {
    const broken = route({ auth: "key|session", role: "viewer" }, () => {
      throw new Error("boom");
    });
    const { res, line } = await logged(() =>
      call(broken, { path: "/api/broken", headers: { ...p.headers.apiKey, "x-trace-id": "trace-from-client-1" } }),
    );
    expect(res.status).toBe(500);
    expect(line).toMatchObject({ level: 50, msg: "request failed", status: 500, traceId: "trace-from-client-1" });
  });
});

describe("routePattern", () => {
  it("puts param names back in place of their values", () => {
    expect(routePattern("/api/batch/42/counts", { id: "42" })).toBe("/api/batch/[id]/counts");
    expect(routePattern("/api/finished-goods/1A4%2F0001/deduct", { metrc: "1A4/0001" })).toBe("/api/finished-goods/[metrc]/deduct");
    expect(routePattern("/api/a/x/b/x", { one: "x", two: "x" })).toBe("/api/a/[one]/b/[two]");
    expect(routePattern("/api/files/a/b/c", { path: ["a", "b", "c"] })).toBe("/api/files/[...path]");
    expect(routePattern("/api/data", {})).toBe("/api/data");
  });
});
