/**
 * In-process cost of the app code on the polling path, without Next's server around it:
 *   npx tsx bench/route-overhead.ts [--iterations=20000] [--repeat=3]
 * Calls the real `GET /api/batches/last-updated` and `GET /api/version` handlers (route() wrapper
 * included) with a NextRequest, next to an empty handler, and times the pieces the wrapper is made
 * of (data_version probe, API-key check, memoised ETag, request scope, trace id, responses).
 * Figures are µs per call, sequential awaits on one core: read them as relative costs, to put
 * next to the per-request budget that bench/polling.mjs measures (1 / req/s of the empty handler).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values } = parseArgs({ options: { iterations: { type: "string", default: "20000" }, repeat: { type: "string", default: "3" } } });
const N = Number(values.iterations);
const REPEAT = Number(values.repeat);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-route-overhead-"));
const dbFile = path.join(dir, "bench.db");
process.env.DATABASE_URL = `file:${dbFile}`;
process.env.LOG_LEVEL = "warn";
process.env.NEXTAUTH_SECRET ||= randomBytes(32).toString("hex");

async function main() {
  const { migrate } = await import("../scripts/migrate.mjs");
  await migrate({ databaseUrl: process.env.DATABASE_URL, log: () => {} });

  const key = `prt_${randomBytes(32).toString("base64url")}`;
  const sqlite = new Database(dbFile);
  sqlite
    .prepare("INSERT INTO api_keys (id, name, prefix, key_hash, role, created_at) VALUES (?, ?, ?, ?, 'operator', ?)")
    .run(
      randomUUID(),
      "bench",
      key.slice(0, 12),
      createHash("sha256").update(key).digest("hex"),
      new Date().toISOString().replace("Z", "+00:00"),
    );
  sqlite.close();

  const { NextRequest, NextResponse } = await import("next/server");
  const lastUpdated = await import("../app/api/batches/last-updated/route");
  const version = await import("../app/api/version/route");
  const { route, withETag } = await import("../lib/http/route");
  const { dataVersion } = await import("../lib/db/data-version");
  const { authenticateApiKey, hashApiKey } = await import("../lib/auth/api-keys");
  const { lastAuditUpdate } = await import("../lib/domain/audit/last-updated");
  const { requestScope, newTraceId } = await import("../lib/context");
  const { db } = await import("../lib/db/client");

  const base = "http://127.0.0.1:3000";
  const ctx = { params: Promise.resolve({}) };
  const { etag } = await lastAuditUpdate("batch");
  const pollHeaders = { "x-api-key": key, "if-none-match": etag, host: "127.0.0.1:3000", "user-agent": "bench" };
  const pollReq = () => new NextRequest(`${base}/api/batches/last-updated`, { headers: pollHeaders });
  const publicReq = () => new NextRequest(`${base}/api/version`, { headers: { host: "127.0.0.1:3000" } });

  const emptyRoute = async () => new Response("{}", { headers: { "content-type": "application/json" } });
  const wrappedEmptyPublic = route(
    { auth: "public", role: "viewer" },
    () => new Response("{}", { headers: { "content-type": "application/json" } }),
  );
  const wrappedEmptyKey = route(
    { auth: "key|session", role: "viewer" },
    () => new Response("{}", { headers: { "content-type": "application/json" } }),
  );

  const sanity = await lastUpdated.GET(pollReq(), ctx);
  if (sanity.status !== 304) throw new Error(`last-updated answered ${sanity.status}, expected 304`);

  // One request object per case, reused: Next builds the NextRequest before any route code runs
  // (its cost is in the empty-handler baseline too), and a GET's request is not consumed.
  const poll = pollReq();
  const pub = publicReq();
  const probe = new Database(dbFile, { readonly: true, fileMustExist: true });
  const dataVersionStmt = probe.prepare("PRAGMA data_version").pluck();
  const presentedHash = Buffer.from(hashApiKey(key), "hex");
  const storedHex = hashApiKey(key);
  const cases: [string, () => unknown][] = [
    ["new NextRequest (built by Next before any route code)", () => pollReq()],
    ["empty handler: new Response('{}')", () => emptyRoute()],
    ["A: last-updated GET → 304 (full route())", () => lastUpdated.GET(poll, ctx)],
    ["E: version GET (route(), public, JSON)", () => version.GET(pub, ctx)],
    ["route(public) around an empty handler", () => wrappedEmptyPublic(pub, ctx)],
    ["route(key|session) around an empty handler", () => wrappedEmptyKey(poll, ctx)],
    ["  dataVersion() (conn.pragma: prepares every call)", () => dataVersion()],
    ["  PRAGMA data_version, statement prepared once", () => dataVersionStmt.get()],
    ["  authenticateApiKey(key) (memoised)", () => authenticateApiKey(key)],
    [
      "    sha256(key) + Buffer.from hex ×2 + timingSafeEqual",
      () => timingSafeEqual(Buffer.from(hashApiKey(key), "hex"), Buffer.from(storedHex, "hex")),
    ],
    ["    timingSafeEqual on precomputed buffers", () => timingSafeEqual(presentedHash, presentedHash)],
    ["  lastAuditUpdate('batch') (memoised)", () => lastAuditUpdate("batch")],
    ["  withETag(req, etag) → 304 Response", () => withETag(poll, etag, () => ({}))],
    ["  requestScope.run(scope, async fn)", () => requestScope.run({ traceId: "x", actor: "a", source: "web" }, async () => 1)],
    ["  newTraceId() (randomUUID + replace)", () => newTraceId()],
    ["  query object from req.nextUrl.searchParams", () => Object.fromEntries(poll.nextUrl.searchParams)],
    ["  NextResponse.json({}) (what json() uses)", () => NextResponse.json({}, { headers: { "cache-control": "no-store" } })],
    ["  Response.json({})", () => Response.json({}, { headers: { "cache-control": "no-store" } })],
    [
      "  new Response(JSON.stringify({}))",
      () => new Response(JSON.stringify({}), { headers: { "content-type": "application/json", "cache-control": "no-store" } }),
    ],
    ["  new Response(null, {status: 304})", () => new Response(null, { status: 304, headers: { etag, "cache-control": "no-cache" } })],
    ["  response.headers.set('x-trace-id')", () => new Response(null, { status: 304 }).headers.set("x-trace-id", "abc")],
  ];

  console.log(
    `route-overhead: best of ${REPEAT} × ${N} sequential calls each, node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}`,
  );
  const width = Math.max(...cases.map(([n]) => n.length));
  for (const [name, fn] of cases) {
    for (let i = 0; i < Math.min(2000, N); i++) await fn(); // warm-up (JIT, memo)
    let us = Infinity; // best of REPEAT runs: the least disturbed by other processes
    for (let r = 0; r < REPEAT; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < N; i++) await fn();
      us = Math.min(us, Number(process.hrtime.bigint() - t0) / 1000 / N);
    }
    console.log(`${name.padEnd(width)}  ${us.toFixed(2).padStart(8)} µs`);
  }
  probe.close();
  await db.$disconnect();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
