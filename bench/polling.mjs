#!/usr/bin/env node
/**
 * Polling benchmark (`npm run bench:polling`): how cheap is a conditional poll of
 * `GET /api/batches/last-updated` (304) compared with an empty route handler of the same
 * production build and with a bare node:http server, and how fast is `GET /api/data` with 300
 * active batches. See bench/README.md.
 *
 * The app is served from a throw-away copy in tmp/bench-app/ (repo files rsynced in, node_modules
 * symlinked, plus app/api/bench-empty/route.ts), so the repo itself never gets the extra route.
 * scripts/start.mjs of that copy migrates, bootstraps, builds when its sources changed and serves
 * `next start`; its .next is kept between runs.
 *
 * A measurement, not a test: exits 0 whatever the figures, non-zero only when the setup fails.
 */
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Options ---------------------------------------------------------------------------------------
const { values: opts } = parseArgs({
  options: {
    duration: { type: "string", default: process.env.BENCH_DURATION ?? "10" },
    warmup: { type: "string", default: process.env.BENCH_WARMUP ?? "3" },
    concurrency: { type: "string", default: process.env.BENCH_CONCURRENCY ?? "4" },
    "data-concurrency": { type: "string", default: process.env.BENCH_DATA_CONCURRENCY ?? "4" },
    batches: { type: "string", default: process.env.BENCH_BATCHES ?? "300" },
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "1" },
    only: { type: "string", default: process.env.BENCH_ONLY ?? "" },
    "app-dir": { type: "string", default: process.env.BENCH_APP_DIR ?? path.join(REPO, "tmp", "bench-app") },
    "cpu-prof": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});
if (opts.help) {
  console.log(`Usage: node bench/polling.mjs [options]   (see bench/README.md)
  --duration=S          measured seconds per scenario (BENCH_DURATION, default 10)
  --warmup=S            warm-up seconds per scenario, discarded (BENCH_WARMUP, default 3)
  --concurrency=N       concurrent keep-alive clients for A, B, C, E (BENCH_CONCURRENCY, default 4)
  --data-concurrency=N  concurrent clients for D (BENCH_DATA_CONCURRENCY, default 4)
  --batches=N           active batches seeded for D (BENCH_BATCHES, default 300)
  --rounds=N            run every scenario N times, interleaved; the median round is reported (BENCH_ROUNDS, default 1)
  --only=A,B,...        run only these scenarios (BENCH_ONLY)
  --app-dir=DIR         where the throw-away app copy lives (BENCH_APP_DIR, default tmp/bench-app)
  --cpu-prof            write a V8 CPU profile of the next start process (NEXT_CPU_PROF; kept in the run's tmp dir)
  --keep                keep the run's tmp dir (database, server log)
  --verbose             stream the server's output`);
  process.exit(0);
}
const num = (name, min) => {
  const v = Number(opts[name]);
  if (!Number.isFinite(v) || v < min) {
    console.error(`bench: --${name} must be a number ≥ ${min}`);
    process.exit(2);
  }
  return v;
};
const DURATION = num("duration", 0.5);
const WARMUP = num("warmup", 0);
const CONCURRENCY = Math.floor(num("concurrency", 1));
const DATA_CONCURRENCY = Math.floor(num("data-concurrency", 1));
const BATCHES = Math.floor(num("batches", 1));
const ROUNDS = Math.floor(num("rounds", 1));
const ONLY = new Set(
  opts.only
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean),
);
const APP_DIR = path.resolve(opts["app-dir"]);
const runs = (id) => ONLY.size === 0 || ONLY.has(id);

const TARGET_RATIO = 0.8;
const TARGET_DATA_P99_MS = 50;

// Process bookkeeping ---------------------------------------------------------------------------
const RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-bench-"));
const SERVER_LOG = path.join(RUN_DIR, "server.log");
let app = null; // { child, exited }
let bare = null;

function log(line = "") {
  console.log(line);
}

function setupFail(message) {
  console.error(`bench: setup failed: ${message}`);
  if (fs.existsSync(SERVER_LOG ?? "")) {
    const tail = fs.readFileSync(SERVER_LOG, "utf8").split("\n").slice(-40).join("\n");
    console.error(`--- last lines of ${SERVER_LOG} ---\n${tail}`);
  }
  cleanup({ keepDir: true }).finally(() => process.exit(1));
  throw new Error("setup failed"); // unwinds callers; the exit above wins
}

async function stopGroup(proc, name) {
  if (!proc || proc.exited) return;
  const pgid = proc.child.pid;
  const exited = new Promise((resolve) => proc.child.once("exit", resolve));
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const timer = new Promise((resolve) => setTimeout(() => resolve("timeout"), 10_000));
  if ((await Promise.race([exited, timer])) === "timeout") {
    console.error(`bench: ${name} did not stop within 10 s; killing its process group`);
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  // The group may outlive its leader (next start's children): make sure nothing is left behind.
  await new Promise((r) => setTimeout(r, 300));
  try {
    process.kill(-pgid, 0);
    process.kill(-pgid, "SIGKILL");
  } catch {
    /* group empty */
  }
}

function collectProfiles() {
  const from = path.join(APP_DIR, ".next-profiles");
  const files = fs.existsSync(from) ? fs.readdirSync(from).filter((f) => f.endsWith(".cpuprofile")) : [];
  if (files.length === 0) {
    console.log("bench: no CPU profile was written");
    return;
  }
  for (const f of files) {
    fs.renameSync(path.join(from, f), path.join(RUN_DIR, f));
    console.log(`bench: CPU profile ${path.join(RUN_DIR, f)}  (node bench/profile-summary.mjs <file>)`);
  }
}

let cleanedUp = false;
async function cleanup({ keepDir = false } = {}) {
  if (cleanedUp) return;
  cleanedUp = true;
  await stopGroup(app, "app server");
  await stopGroup(bare, "bare server");
  if (opts["cpu-prof"]) collectProfiles();
  if (!keepDir && !opts.keep && !opts["cpu-prof"]) fs.rmSync(RUN_DIR, { recursive: true, force: true });
  else console.log(`bench: run files kept in ${RUN_DIR}`);
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    console.error(`bench: ${sig}, stopping servers`);
    cleanup({ keepDir: true }).finally(() => process.exit(130));
  });
}

// Helpers ---------------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One HTTP request; resolves with status, headers and (unless `discard`) the body. */
function request({ port, method = "GET", path: p, headers = {}, body, agent, discard = false }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: p,
        agent: agent ?? false,
        headers: payload ? { "content-type": "application/json", "content-length": payload.length, ...headers } : headers,
      },
      (res) => {
        if (discard) {
          let bytes = 0;
          res.on("data", (c) => (bytes += c.length));
          res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, bytes }));
        } else {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const buf = Buffer.concat(chunks);
            resolve({ status: res.statusCode, headers: res.headers, bytes: buf.length, text: buf.toString("utf8") });
          });
        }
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * Closed-loop load: `concurrency` loops, each with its own keep-alive connection, send the next
 * request as soon as the previous response ended. A warm-up phase (same connections) is
 * discarded. `check(res)` returns null when the response is right, else a reason.
 */
async function load({ port, path: p, headers = {}, concurrency, check, decodeEvery = 0 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const phase = async (seconds, record) => {
    const lat = [];
    const failures = new Map();
    let count = 0;
    let errors = 0;
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    const loop = async () => {
      let mine = 0;
      while (performance.now() < deadline) {
        const s = performance.now();
        // Bodies are counted, not kept: decoding 600 KB per response would make the load
        // generator, not the server, the bottleneck. Every `decodeEvery`-th one is decoded.
        const decode = decodeEvery > 0 && mine++ % decodeEvery === 0;
        let res;
        try {
          res = await request({ port, path: p, headers, agent, discard: !decode });
        } catch (err) {
          errors++;
          failures.set(`error: ${err.code ?? err.message}`, (failures.get(`error: ${err.code ?? err.message}`) ?? 0) + 1);
          await sleep(10);
          continue;
        }
        const ms = performance.now() - s;
        count++;
        if (record) lat.push(ms);
        const problem = check ? check(res) : null;
        if (problem) {
          errors++;
          failures.set(problem, (failures.get(problem) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    const elapsed = (performance.now() - t0) / 1000;
    return { count, errors, failures, elapsed, lat };
  };
  if (WARMUP > 0) await phase(WARMUP, false);
  const r = await phase(DURATION, true);
  agent.destroy();
  const sorted = Float64Array.from(r.lat).sort();
  return {
    requests: r.count,
    rps: r.count / r.elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: r.errors,
    failures: r.failures,
  };
}

// 1. The app copy -------------------------------------------------------------------------------
// No `dynamic` export: like every route of the app it runs as "auto" (Next wraps the request in its
// dynamic-tracking proxy); a GET without request access is still not prerendered (checked below).
const EMPTY_ROUTE = `// Added by bench/polling.mjs to its throw-away copy only: the empty-handler baseline.
export function GET() {
  return new Response("{}", { headers: { "content-type": "application/json" } });
}
`;

function prepareAppCopy() {
  fs.mkdirSync(APP_DIR, { recursive: true });
  const excludes = [
    "/.git",
    "/node_modules",
    "/.next",
    "/data",
    "/tmp",
    "/bench",
    "/e2e",
    "/test-results",
    "/playwright-report",
    "/coverage",
    "/.env",
    "/.env.local",
    "/tsconfig.tsbuildinfo",
    "/app/api/bench-empty",
    "*.db",
    "*.db-journal",
    "*.db-wal",
    "*.db-shm",
  ];
  const rsync = spawnSync("rsync", ["-a", "--delete", ...excludes.flatMap((e) => ["--exclude", e]), `${REPO}/`, `${APP_DIR}/`], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (rsync.error) setupFail(`rsync is needed to mirror the repo into ${APP_DIR}: ${rsync.error.message}`);
  if (rsync.status !== 0) setupFail(`rsync exited ${rsync.status}`);
  const nm = path.join(APP_DIR, "node_modules");
  const target = path.relative(APP_DIR, path.join(REPO, "node_modules"));
  let current = null;
  try {
    current = fs.readlinkSync(nm);
  } catch {
    /* missing or not a link */
  }
  if (current !== target) {
    fs.rmSync(nm, { recursive: true, force: true });
    fs.symlinkSync(target, nm, "dir");
  }
  const emptyRoute = path.join(APP_DIR, "app", "api", "bench-empty", "route.ts");
  fs.mkdirSync(path.dirname(emptyRoute), { recursive: true });
  if (!fs.existsSync(emptyRoute) || fs.readFileSync(emptyRoute, "utf8") !== EMPTY_ROUTE) fs.writeFileSync(emptyRoute, EMPTY_ROUTE);
}

// 2. Servers ------------------------------------------------------------------------------------
function spawnGroup(command, argv, { env, cwd, logFile }) {
  const out = logFile ? fs.openSync(logFile, "a") : "pipe";
  const child = spawn(command, argv, {
    cwd,
    env,
    detached: true, // its own process group: stopped as a whole
    stdio: ["ignore", opts.verbose && logFile ? "inherit" : out, opts.verbose && logFile ? "inherit" : out],
  });
  const proc = { child, exited: false, exitCode: null };
  child.on("exit", (code, signal) => {
    proc.exited = true;
    proc.exitCode = signal ?? code;
  });
  return proc;
}

async function startApp(port, dbFile) {
  const env = {
    ...process.env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: `file:${dbFile}`,
    SEED_DEMO: "false",
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: "bench-password",
    LOG_LEVEL: "warn",
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // The bench hammers one API key far beyond the production per-key limit.
    API_RATE_LIMIT_PER_MIN: "0",
  };
  delete env.NODE_ENV; // next start sets production itself
  delete env.APP_URL;
  if (opts["cpu-prof"]) {
    // Next's own profiler (--cpu-prof is refused in NODE_OPTIONS): `next start` writes
    // <app>/.next-profiles/*.cpuprofile when it gets SIGTERM; collectProfiles() moves them.
    fs.rmSync(path.join(APP_DIR, ".next-profiles"), { recursive: true, force: true });
    env.NEXT_CPU_PROF = "1";
  }
  fs.writeFileSync(SERVER_LOG, "");
  const started = performance.now();
  app = spawnGroup(process.execPath, [path.join(APP_DIR, "scripts", "start.mjs"), "--web-only"], {
    env,
    cwd: APP_DIR,
    logFile: SERVER_LOG,
  });
  const deadline = Date.now() + 20 * 60_000; // a cold `next build` on 2 cores takes minutes
  let building = false;
  while (Date.now() < deadline) {
    if (app.exited) setupFail(`scripts/start.mjs exited (${app.exitCode}) before /api/health answered`);
    if (!building && !opts.verbose && fs.readFileSync(SERVER_LOG, "utf8").includes("Building the web app")) {
      building = true;
      log("  building the app copy (sources changed since its last build)…");
    }
    try {
      const res = await request({ port, path: "/api/health" });
      if (res.status === 200) {
        log(`  app up on 127.0.0.1:${port} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return;
      }
    } catch {
      /* not listening yet */
    }
    await sleep(500);
  }
  setupFail("/api/health did not answer 200 within 20 minutes");
}

const BARE_SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": 2 });
  res.end("{}");
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

async function startBare() {
  bare = spawnGroup(process.execPath, ["-e", BARE_SERVER], { env: { PATH: process.env.PATH }, cwd: RUN_DIR });
  const port = await new Promise((resolve, reject) => {
    let buf = "";
    bare.child.stdout.on("data", (c) => {
      buf += c;
      const line = buf.split("\n")[0];
      if (buf.includes("\n")) resolve(Number(line));
    });
    bare.child.once("exit", (code) => reject(new Error(`bare server exited (${code})`)));
  }).catch((err) => setupFail(err.message));
  return port;
}

// 3. Seed ---------------------------------------------------------------------------------------
/** Formats a Date the way Prisma's SQLite adapter stores DateTime, checked against a row it wrote. */
function prismaDateFormatter(sqlite) {
  const sample = sqlite.prepare("SELECT created_at FROM users LIMIT 1").pluck().get();
  if (typeof sample === "number") return (d) => d.getTime();
  if (typeof sample === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/.test(sample)) {
    return (d) => d.toISOString().replace("Z", "+00:00");
  }
  if (typeof sample === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(sample)) return (d) => d.toISOString();
  setupFail(`unexpected DateTime storage in users.created_at: ${JSON.stringify(sample)}`);
}

function insertApiKey(dbFile) {
  const key = `prt_${randomBytes(32).toString("base64url")}`;
  const sqlite = new Database(dbFile, { timeout: 30_000 });
  try {
    const fmt = prismaDateFormatter(sqlite);
    sqlite
      .prepare("INSERT INTO api_keys (id, name, prefix, key_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(randomUUID(), "bench", key.slice(0, 12), createHash("sha256").update(key, "utf8").digest("hex"), "operator", fmt(new Date()));
  } finally {
    sqlite.close();
  }
  return key;
}

async function seedBatches(port, apiKey, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const headers = { "x-api-key": apiKey };
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = ++next;
      const created = await request({
        port,
        method: "POST",
        path: "/api/batches",
        headers,
        agent,
        body: { strain: `Bench Strain ${String(i).padStart(3, "0")}`, input_grams: 1000, thc_percent: 22 },
      });
      if (created.status !== 201) setupFail(`POST /api/batches → ${created.status}: ${created.text}`);
      const id = JSON.parse(created.text).batch?.id;
      if (id === undefined) setupFail(`POST /api/batches answered without batch.id: ${created.text}`);
      const counts = await request({
        port,
        method: "POST",
        path: `/api/batch/${encodeURIComponent(id)}/counts`,
        headers,
        agent,
        body: { counts_0_5: 120, counts_0_7: 80, counts_1_0: 60 },
      });
      if (counts.status !== 200) setupFail(`POST /api/batch/${id}/counts → ${counts.status}: ${counts.text}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  agent.destroy();
}

// 4. Report -------------------------------------------------------------------------------------
function machineInfo() {
  const cpus = os.cpus();
  let next = "?";
  try {
    next = JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", "next", "package.json"), "utf8")).version;
  } catch {
    /* unknown */
  }
  let commit = "?";
  try {
    commit = execFileSync("git", ["-C", REPO, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", REPO, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim();
    if (dirty) commit += " (+ uncommitted changes)";
  } catch {
    /* not a git checkout */
  }
  return [
    `cpus: ${cpus.length} × ${cpus[0]?.model ?? "?"}`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    `node ${process.version}, next ${next}, ${os.platform()} ${os.release()}`,
    `commit ${commit}`,
  ];
}

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : "—");
const f2 = (v) => (Number.isFinite(v) ? v.toFixed(2) : "—");

function printTable(rows) {
  const head = ["", "scenario", "conc", "requests", "req/s", "p50 ms", "p99 ms", "errors"];
  const body = rows.map((r) => [
    r.id,
    r.label,
    String(r.concurrency),
    String(r.requests),
    f1(r.rps),
    f2(r.p50),
    f2(r.p99),
    String(r.errors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  log(fmt(head));
  log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const b of body) log(fmt(b));
  for (const r of rows) {
    for (const [reason, n] of r.failures ?? []) log(`  ${r.id}: ${n} × ${reason}`);
  }
}

// Main ------------------------------------------------------------------------------------------
let loadAtStart = 0;
async function main() {
  loadAtStart = os.loadavg()[0];
  log("PreRoll Tracker polling benchmark");
  for (const line of machineInfo()) log(`  ${line}`);
  log(
    `  duration ${DURATION} s after ${WARMUP} s warm-up per scenario, concurrency ${CONCURRENCY} (D: ${DATA_CONCURRENCY}), ${BATCHES} batches, ${ROUNDS} round(s)`,
  );
  log();

  log(`Preparing the app copy in ${path.relative(process.cwd(), APP_DIR) || APP_DIR}`);
  prepareAppCopy();
  const dbFile = path.join(RUN_DIR, "bench.db");
  const appPort = await freePort();
  await startApp(appPort, dbFile);
  const barePort = await startBare();

  const apiKey = insertApiKey(dbFile);
  const auth = { "x-api-key": apiKey };
  const probe = await request({ port: appPort, path: "/api/batches/last-updated", headers: auth });
  if (probe.status !== 200) setupFail(`GET /api/batches/last-updated with the bench key → ${probe.status}: ${probe.text}`);

  if (runs("D")) {
    const t = performance.now();
    await seedBatches(appPort, apiKey, BATCHES);
    log(`  seeded ${BATCHES} batches with counts through the API in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  // Validators and expected answers, taken once before the load.
  const lu = await request({ port: appPort, path: "/api/batches/last-updated", headers: auth });
  const etag = lu.headers.etag;
  if (lu.status !== 200 || !etag) setupFail(`last-updated gave no ETag (status ${lu.status})`);
  const revalidated = await request({ port: appPort, path: "/api/batches/last-updated", headers: { ...auth, "if-none-match": etag } });
  if (revalidated.status !== 304) setupFail(`If-None-Match ${etag} → ${revalidated.status}, expected 304`);
  const empty = await request({ port: appPort, path: "/api/bench-empty" });
  if (empty.status !== 200 || empty.text !== "{}") setupFail(`GET /api/bench-empty → ${empty.status} ${empty.text}`);
  const prerendered = JSON.parse(fs.readFileSync(path.join(APP_DIR, ".next", "prerender-manifest.json"), "utf8")).routes ?? {};
  if (empty.headers["x-nextjs-cache"] || empty.headers["x-nextjs-prerender"] || prerendered["/api/bench-empty"]) {
    setupFail("the empty route was prerendered at build time, not executed per request");
  }
  let dataBytes = 0;
  if (runs("D")) {
    const data = await request({ port: appPort, path: "/api/data", headers: auth });
    if (data.status !== 200) setupFail(`GET /api/data → ${data.status}`);
    const rows = JSON.parse(data.text);
    if (!Array.isArray(rows) || rows.length < BATCHES) setupFail(`GET /api/data returned ${rows.length} batches, expected ≥ ${BATCHES}`);
    dataBytes = data.bytes;
    log(`  /api/data: ${rows.length} batches, ${(dataBytes / 1024).toFixed(0)} KiB per response`);
  }
  log();

  const encodings = new Set();
  const sizes = new Set();
  const scenarios = [
    {
      id: "A",
      label: "GET /api/batches/last-updated → 304 (API key, If-None-Match)",
      port: appPort,
      path: "/api/batches/last-updated",
      headers: { ...auth, "if-none-match": etag },
      concurrency: CONCURRENCY,
      check: (res) => (res.status === 304 ? null : `status ${res.status} (expected 304)`),
    },
    {
      id: "B",
      label: "GET /api/bench-empty (empty route handler, same build)",
      port: appPort,
      path: "/api/bench-empty",
      concurrency: CONCURRENCY,
      check: (res) => (res.status === 200 && res.bytes === 2 ? null : `status ${res.status}, ${res.bytes} bytes`),
    },
    {
      id: "C",
      label: "bare node:http server answering {}",
      port: barePort,
      path: "/",
      concurrency: CONCURRENCY,
      check: (res) => (res.status === 200 && res.bytes === 2 ? null : `status ${res.status}, ${res.bytes} bytes`),
    },
    {
      id: "D",
      label: `GET /api/data (${BATCHES} active batches, API key)`,
      port: appPort,
      path: "/api/data",
      headers: auth,
      concurrency: DATA_CONCURRENCY,
      decodeEvery: 200,
      // Every response: status and size. Every 200th per client: parsed and counted.
      check: (res) => {
        if (res.status !== 200) return `status ${res.status}`;
        if (res.bytes !== dataBytes) return `body ${res.bytes} bytes, expected ${dataBytes}`;
        if (res.text !== undefined) {
          const rows = JSON.parse(res.text);
          if (!Array.isArray(rows) || rows.length < BATCHES) return `array of ${rows.length}, expected ≥ ${BATCHES}`;
        }
        return null;
      },
    },
    {
      id: "F",
      label: "GET /api/data, Accept-Encoding: gzip, deflate, br (as browsers send it)",
      port: appPort,
      path: "/api/data",
      headers: { ...auth, "accept-encoding": "gzip, deflate, br" },
      concurrency: DATA_CONCURRENCY,
      check: (res) => {
        encodings.add(res.headers["content-encoding"] ?? "identity");
        sizes.add(res.bytes);
        return res.status === 200 ? null : `status ${res.status}`;
      },
    },
    {
      id: "E",
      label: "GET /api/version (route() wrapper, public, JSON body)",
      port: appPort,
      path: "/api/version",
      concurrency: CONCURRENCY,
      check: (res) => (res.status === 200 ? null : `status ${res.status}`),
    },
  ]
    .filter((s) => runs(s.id))
    .sort((a, b) => a.id.localeCompare(b.id));

  const results = new Map(scenarios.map((s) => [s.id, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const s of scenarios) {
      process.stdout.write(`  round ${round}/${ROUNDS} ${s.id} ${s.label} … `);
      const r = await load(s);
      results.get(s.id).push(r);
      log(`${f1(r.rps)} req/s, p50 ${f2(r.p50)} ms, p99 ${f2(r.p99)} ms${r.errors ? `, ${r.errors} errors` : ""}`);
    }
  }
  log();

  // Every column is the median over the rounds; ratios are taken round by round (the two sides
  // ran back to back, under the same background load), then their median.
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const rows = scenarios.map((s) => {
    const all = results.get(s.id);
    const failures = new Map();
    for (const r of all) for (const [k, n] of r.failures) failures.set(k, (failures.get(k) ?? 0) + n);
    return {
      ...s,
      requests: all.reduce((a, r) => a + r.requests, 0),
      rps: median(all.map((r) => r.rps)),
      p50: median(all.map((r) => r.p50)),
      p99: median(all.map((r) => r.p99)),
      errors: all.reduce((a, r) => a + r.errors, 0),
      failures,
    };
  });
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  log(ROUNDS > 1 ? `Results (median of ${ROUNDS} rounds; requests and errors summed)` : "Results");
  printTable(rows);
  log();

  const ratio = (x, y) => {
    const per = results.get(x).map((r, i) => r.rps / results.get(y)[i].rps);
    return { value: median(per), detail: per.length > 1 ? `  [rounds: ${per.map(f2).join(", ")}]` : "" };
  };
  log("Ratios and targets");
  const verdicts = [];
  if (by.A && by.B) {
    const r = ratio("A", "B");
    const ok = r.value >= TARGET_RATIO && by.A.errors === 0;
    verdicts.push(ok);
    log(
      `  A/B req/s  ${f2(r.value)}   304 poll vs empty handler, target ≥ ${TARGET_RATIO.toFixed(2)}   ${ok ? "PASS" : "FAIL"}${by.A.errors ? " (A had errors)" : ""}${r.detail}`,
    );
  }
  if (by.B && by.C)
    log(`  B/C req/s  ${f2(ratio("B", "C").value)}   Next.js route vs bare node:http (informational)${ratio("B", "C").detail}`);
  if (by.E && by.B)
    log(
      `  E/B req/s  ${f2(ratio("E", "B").value)}   route() wrapper, public, JSON body, vs empty handler (informational)${ratio("E", "B").detail}`,
    );
  if (by.A && by.E)
    log(
      `  A/E req/s  ${f2(ratio("A", "E").value)}   API-key auth + memoised ETag (304) vs public route() (informational)${ratio("A", "E").detail}`,
    );
  if (by.D) {
    const ok = by.D.p99 < TARGET_DATA_P99_MS && by.D.errors === 0;
    verdicts.push(ok);
    log(
      `  D p99      ${f2(by.D.p99)} ms   /api/data with ${BATCHES} batches, target < ${TARGET_DATA_P99_MS} ms   ${ok ? "PASS" : "FAIL"}${by.D.errors ? " (D had errors)" : ""}`,
    );
  }
  if (by.F) {
    const kib = [...sizes].map((b) => `${(b / 1024).toFixed(0)} KiB`).join(", ");
    log(
      `  F p99      ${f2(by.F.p99)} ms   /api/data when the client accepts compression (informational): content-encoding ${[...encodings].join(", ")}, ${kib} per response`,
    );
  }
  log();
  const busy = Math.max(loadAtStart, os.loadavg()[0]) > os.cpus().length * 0.75;
  if (busy) {
    log(
      `WARNING: the machine was busy (1-min load average ${f2(loadAtStart)} at the start, ${f2(os.loadavg()[0])} at the end, ${os.cpus().length} CPUs):`,
    );
    log("         absolute figures are low and noisy; prefer the ratios, and --rounds=3 or more.");
  }
  log(
    `Overall: ${verdicts.length === 0 ? "no target measured" : verdicts.every(Boolean) ? "PASS" : "FAIL"} (a measurement: the exit code is 0 either way)`,
  );
}

try {
  await main();
} catch (err) {
  if (!cleanedUp) {
    console.error(`bench: ${err instanceof Error ? err.stack : err}`);
    await cleanup({ keepDir: true });
    process.exit(1);
  }
  await new Promise(() => {}); // setupFail's exit is on its way
}
await cleanup();
process.exit(0);
