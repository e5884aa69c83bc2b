#!/usr/bin/env node
/**
 * Floor benchmark (`node bench/floor.mjs`): the UI-GUIDE §5 budgets of the floor routes, measured
 * on the production build in headless Chromium with the throttled tablet profile (CPU 4× slower,
 * 150 ms round trip, 1.6 Mbps down, 750 kbps up), next to a baseline measured in the same run:
 *
 *   (a) board cold load (empty cache, signed in): navigation start → first batch card on screen;
 *   (b) JavaScript transferred (compressed, on the wire) for `/` and for `/batches/{id}`;
 *   (c) tap on `+25` on `/batches/{id}` → the new count on screen (timed inside the page);
 *   (d) board warm load (service worker installed and controlling, precache filled): navigation
 *       start → first batch card on screen;
 *   (e) online → empty queue: `--queued` (50) `+25` taps queued offline in the device outbox, then the time
 *       from the `online` event until the header's pending count is gone (checked on the server);
 *   (f) JavaScript of each desk page (one cold load each, same profile), and whether any JS file of
 *       the floor routes (`/`, `/batches/{id}`, `/inventory`) carries desk-only code (charts, the
 *       batch editor): those must stay off the tablets.
 *
 * Baselines: the same cold load of the static `/login` page (unauthenticated) to its button, the
 * JS that page loads, an in-page tap on a plain button that sets a text synchronously, the same
 * warm load of `/login`, and as many sequential bare `fetch` POSTs of the same write from the page.
 *
 * The server is `<app-dir>/scripts/start.mjs --web-only` (migrate, bootstrap with demo data and a
 * known admin, build when the sources changed, `next start`) on a fresh SQLite database in a temp
 * dir. A measurement, not a test: exits 0 whatever the figures, 1 only when the setup fails.
 * See bench/README.md.
 */
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Options ---------------------------------------------------------------------------------------
const { values: opts } = parseArgs({
  options: {
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "3" },
    taps: { type: "string", default: process.env.BENCH_TAPS ?? "3" },
    queued: { type: "string", default: process.env.BENCH_QUEUED ?? "50" },
    only: { type: "string", default: process.env.BENCH_ONLY ?? "a,b,c,d,e,f" },
    settle: { type: "string", default: process.env.BENCH_SETTLE ?? "4000" },
    "cpu-rate": { type: "string", default: process.env.BENCH_CPU_RATE ?? "4" },
    "app-dir": { type: "string", default: process.env.BENCH_APP_DIR ?? REPO },
    "no-build": { type: "boolean", default: false },
    chunks: { type: "boolean", default: false },
    chromium: { type: "string", default: process.env.BENCH_CHROMIUM ?? CHROMIUM_PATH },
    keep: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});
if (opts.help) {
  console.log(`Usage: node bench/floor.mjs [options]   (see bench/README.md)
  --rounds=N       cold loads of each page, tap series, warm loads and queue drains, interleaved (BENCH_ROUNDS, default 3)
  --taps=N         +25 taps per round (BENCH_TAPS, default 3)
  --queued=N       +25 taps queued offline per round for (e) (BENCH_QUEUED, default 50)
  --only=LIST      measure only these of a,b,c,d,e,f (BENCH_ONLY, default all; a, b and c share their loads)
  --settle=MS      wait after network idle before JS is summed, so deferred chunks count (BENCH_SETTLE, default 4000)
  --cpu-rate=N     CPU slow-down factor (BENCH_CPU_RATE, default 4 = the profile; 1 to see what is CPU-bound)
  --app-dir=DIR    the app to serve: its scripts/start.mjs and .next (BENCH_APP_DIR, default this repo)
  --no-build       serve <app-dir>/.next as it is (start.mjs --no-build) instead of rebuilding changed sources
  --chunks         list every JS file of each route: raw and gzip size, and whether it mentions Sentry
  --chromium=PATH  browser executable (BENCH_CHROMIUM, default /usr/bin/chromium)
  --keep           keep the run's temp dir (database, server log)
  --verbose        stream the server's output
Environment: SENTRY_DSN etc. are passed to the server (a DSN makes start.mjs build with browser Sentry).`);
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
const ROUNDS = Math.floor(num("rounds", 1));
const TAPS = Math.floor(num("taps", 1));
const QUEUED = Math.floor(num("queued", 1));
const SETTLE_MS = num("settle", 0);
const ONLY = new Set(opts.only.split(",").map((x) => x.trim().toLowerCase()));
if (ONLY.size === 0 || [...ONLY].some((x) => !["a", "b", "c", "d", "e", "f"].includes(x))) {
  console.error("bench: --only takes a comma-separated list of a, b, c, d, e, f");
  process.exit(2);
}
const COLD = ONLY.has("a") || ONLY.has("b") || ONLY.has("c");
const APP_DIR = path.resolve(opts["app-dir"]);

// UI-GUIDE §5 and the profile it is measured with.
const BUDGET_COLD_MS = 1500;
const BUDGET_JS_BYTES = 200_000; // "200 KB compressed"; KB = 1000 bytes, as DevTools and `next build` print
const BUDGET_TAP_MS = 100;
const BUDGET_WARM_MS = 800;
const CPU_RATE = num("cpu-rate", 1);
const NETWORK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 }; // bytes/s: 1.6 Mbps, 750 kbps
const ADMIN = { username: "admin", password: "bench-floor-password" };
/** A floor operator, created by the admin through the API: (f) loads /inventory as the floor sees it (admins also get its admin part). */
const OPERATOR = { username: "bench-operator", password: "bench-operator-password" };
const CARD = '[data-testid="batch-card"]';
const COUNT = '[data-testid="current-count"]';
const PENDING = '[data-testid="pending-count"]';
const LOGIN_READY = "form button";
/** The desk pages of UI-GUIDE §2 ({id}: the bench's batch); a path not built yet answers 404 and is reported so. */
const DESK_PAGES = [
  "/batches/new",
  "/batches/{id}/edit",
  "/archive",
  "/finished-goods",
  "/wholesale",
  "/analytics",
  "/centrifuge",
  "/recommendations",
  "/audit",
  "/settings",
  "/admin/backups",
  "/admin/events",
];
/** Strings only desk-only code contains (recharts' class names, the batch editor's labels). */
const DESK_MARKERS = [
  ["recharts", /recharts-(?:surface|wrapper|layer)/],
  ["batch editor", /Grams for the plan/],
];

// Process bookkeeping ---------------------------------------------------------------------------
const RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-floor-"));
const SERVER_LOG = path.join(RUN_DIR, "server.log");
let app = null; // { child, exited, exitCode }
let browser = null;

const log = (line = "") => console.log(line);

function setupFail(message) {
  console.error(`bench: setup failed: ${message}`);
  if (fs.existsSync(SERVER_LOG)) {
    const tail = fs.readFileSync(SERVER_LOG, "utf8").split("\n").slice(-40).join("\n");
    console.error(`--- last lines of ${SERVER_LOG} ---\n${tail}`);
  }
  cleanup({ keepDir: true }).finally(() => process.exit(1));
  throw new Error("setup failed"); // unwinds callers; the exit above wins
}

async function stopServer() {
  if (!app || app.exited) return;
  const pgid = app.child.pid;
  const exited = new Promise((resolve) => app.child.once("exit", resolve));
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const timer = new Promise((resolve) => setTimeout(() => resolve("timeout"), 10_000));
  if ((await Promise.race([exited, timer])) === "timeout") {
    console.error("bench: the app server did not stop within 10 s; killing its process group");
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  try {
    process.kill(-pgid, 0);
    process.kill(-pgid, "SIGKILL"); // children that outlived the leader
  } catch {
    /* group empty */
  }
}

let cleanedUp = false;
async function cleanup({ keepDir = false } = {}) {
  if (cleanedUp) return;
  cleanedUp = true;
  if (browser) await browser.close().catch(() => {});
  await stopServer();
  if (!keepDir && !opts.keep) fs.rmSync(RUN_DIR, { recursive: true, force: true });
  else console.log(`bench: run files kept in ${RUN_DIR}`);
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    console.error(`bench: ${sig}, stopping`);
    cleanup({ keepDir: true }).finally(() => process.exit(130));
  });
}

// Helpers ---------------------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** GET without a browser (health checks, chunk contents): status and raw body. */
function get(port, p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: p, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function machineInfo() {
  const cpus = os.cpus();
  let next = "?";
  try {
    next = JSON.parse(fs.readFileSync(path.join(APP_DIR, "node_modules", "next", "package.json"), "utf8")).version;
  } catch {
    /* unknown */
  }
  let commit = "?";
  try {
    const git = { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] };
    commit = execFileSync("git", ["-C", APP_DIR, "rev-parse", "--short", "HEAD"], git).trim();
    const dirty = execFileSync("git", ["-C", APP_DIR, "status", "--porcelain", "--untracked-files=no"], git).trim();
    if (dirty) commit += " (+ uncommitted changes)";
  } catch {
    /* not a git checkout */
  }
  let browserVersion = "?";
  try {
    browserVersion = execFileSync(opts.chromium, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    /* reported when launching */
  }
  return [
    `${cpus.length} × ${cpus[0]?.model ?? "?"}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    `node ${process.version}, next ${next}, ${browserVersion}`,
    `app ${APP_DIR}, commit ${commit}, SENTRY_DSN ${process.env.SENTRY_DSN?.trim() ? "set" : "not set"}`,
    `profile: CPU ${CPU_RATE}× slower, ${NETWORK.latency} ms latency, ${(NETWORK.downloadThroughput * 8) / 1e6} Mbps down, ${
      (NETWORK.uploadThroughput * 8) / 1e3
    } kbps up; (a)–(c) cache disabled, service workers blocked; (d), (e) service worker on, its own fetches throttled too`,
  ];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (v) => `${Math.round(v)} ms`;

// 1. Server -------------------------------------------------------------------------------------
async function startApp(port) {
  const env = {
    ...process.env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: `file:${path.join(RUN_DIR, "floor.db")}`,
    SEED_DEMO: "true",
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.NODE_ENV; // next start sets production itself
  delete env.APP_URL;
  fs.writeFileSync(SERVER_LOG, "");
  const out = fs.openSync(SERVER_LOG, "a");
  const argv = [path.join(APP_DIR, "scripts", "start.mjs"), "--web-only", ...(opts["no-build"] ? ["--no-build"] : [])];
  const child = spawn(process.execPath, argv, {
    cwd: APP_DIR,
    env,
    detached: true, // its own process group: stopped as a whole
    stdio: ["ignore", opts.verbose ? "inherit" : out, opts.verbose ? "inherit" : out],
  });
  app = { child, exited: false, exitCode: null };
  child.on("exit", (code, signal) => {
    app.exited = true;
    app.exitCode = signal ?? code;
  });
  const started = performance.now();
  const deadline = Date.now() + 20 * 60_000; // a cold `next build` on 2 busy cores takes minutes
  let building = false;
  while (Date.now() < deadline) {
    if (app.exited) setupFail(`scripts/start.mjs exited (${app.exitCode}) before /api/health answered`);
    if (!building && !opts.verbose && fs.readFileSync(SERVER_LOG, "utf8").includes("Building the web app")) {
      building = true;
      log("  building the app (sources or build settings changed since its last build)…");
    }
    try {
      if ((await get(port, "/api/health")).status === 200) {
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

// 2. In-page probes -----------------------------------------------------------------------------
/**
 * Runs before any script of every document: notes (performance.now(), i.e. ms since navigation
 * start) when the first element matching `selector` is in the DOM and visible, and the start of
 * the next animation frame after that, which is when it reaches the screen.
 */
function readyProbe(selector) {
  const probe = (window.__floorBench = { dom: null, frame: null });
  const visible = (el) =>
    el.getClientRects().length > 0 && (typeof el.checkVisibility !== "function" || el.checkVisibility({ visibilityProperty: true }));
  const check = () => {
    if (probe.dom !== null) return;
    const el = document.querySelector(selector);
    if (!el || !visible(el)) return;
    probe.dom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => (probe.frame = performance.now()));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  // Visibility can also change without a mutation (a stylesheet arriving): check every frame too.
  const poll = () => {
    check();
    if (probe.dom === null) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

/** In the page: JS files fetched so far (Resource Timing), with the time the probe saw the element. */
function scriptEntries() {
  const probe = window.__floorBench ?? {};
  const js = performance
    .getEntriesByType("resource")
    .filter((e) => e.initiatorType === "script" || /\.m?js$/.test(new URL(e.name).pathname))
    .map((e) => ({
      url: e.name,
      start: e.startTime,
      end: e.responseEnd,
      transfer: e.transferSize,
      encoded: e.encodedBodySize,
      decoded: e.decodedBodySize,
    }));
  const nav = performance.getEntriesByType("navigation")[0];
  return { js, ready: probe.frame, readyDom: probe.dom, html: nav ? { transfer: nav.transferSize, status: nav.responseStatus } : null };
}

/**
 * In the page: dispatches a tap (pointer + mouse events, then click) on `button` and resolves when
 * the count element shows a different number, with the time to that DOM change and to the next
 * animation frame. `target` is the selector of the count (re-queried: it may be replaced).
 */
function tapProbe(button, { target, timeoutMs, expectDelta }) {
  return new Promise((resolve) => {
    const parse = (text) => {
      const digits = (text ?? "").replace(/[^\d]/g, "");
      return digits ? Number(digits) : NaN;
    };
    const read = () => parse(document.querySelector(target)?.textContent);
    const before = read();
    let seen = null;
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      observer.disconnect();
      clearTimeout(timer);
      resolve({ before, ...result });
    };
    const check = () => {
      if (seen !== null) return;
      const now = read();
      if (Number.isNaN(now) || now === before) return;
      if (expectDelta !== null && now !== before + expectDelta) return; // e.g. a count-up animation on its way
      seen = performance.now() - t0;
      requestAnimationFrame(() => finish({ after: now, dom: seen, frame: performance.now() - t0 }));
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    const timer = setTimeout(() => finish({ after: read(), timeout: true }), timeoutMs);
    const rect = button.getBoundingClientRect();
    const at = {
      bubbles: true,
      cancelable: true,
      composed: true,
      view: window,
      clientX: rect.x + rect.width / 2,
      clientY: rect.y + rect.height / 2,
    };
    const pointer = { ...at, pointerId: 1, pointerType: "touch", isPrimary: true, width: 10, height: 10 };
    const t0 = performance.now();
    button.dispatchEvent(new PointerEvent("pointerdown", { ...pointer, button: 0, buttons: 1, pressure: 0.5 }));
    button.dispatchEvent(new MouseEvent("mousedown", { ...at, button: 0, buttons: 1 }));
    button.dispatchEvent(new PointerEvent("pointerup", { ...pointer, button: 0, buttons: 0 }));
    button.dispatchEvent(new MouseEvent("mouseup", { ...at, button: 0, buttons: 0 }));
    button.click();
    check(); // a synchronous update would otherwise only be seen at the observer's microtask
  });
}

/** In the page: a plain button that sets a text synchronously, measured with tapProbe's method. */
function addBaselineButton() {
  const box = document.createElement("div");
  box.style.cssText = "position:fixed;right:4px;bottom:4px;z-index:2147483647";
  box.innerHTML = '<button type="button" id="floor-bench-baseline">+25</button><span data-floor-bench-count>1,000</span>';
  document.body.append(box);
  const span = box.querySelector("span");
  box.querySelector("button").addEventListener("click", () => {
    span.textContent = (Number(span.textContent.replace(/[^\d]/g, "")) + 25).toLocaleString("en-US");
  });
}

// 3. Browser ------------------------------------------------------------------------------------
async function throttledPage(context, { cold }) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (cold) await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_RATE });
  return { page, cdp };
}

const CONTEXT_OPTIONS = { viewport: { width: 1180, height: 820 }, hasTouch: true, serviceWorkers: "block" };

async function signIn(baseURL) {
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
  let batchId = null;
  try {
    await page.locator(CARD).first().waitFor({ state: "visible", timeout: 30_000 });
    batchId = await page.locator(CARD).first().getAttribute("data-batch-id");
  } catch {
    /* no card on the board: fall back to the API */
  }
  if (!batchId) {
    const res = await context.request.get("/api/data");
    if (res.ok()) {
      const body = await res.json();
      const rows = Array.isArray(body) ? body : (body?.batches ?? body?.data ?? []);
      batchId = rows[0]?.id ?? null;
    }
  }
  const state = await context.storageState();
  await context.close();
  return { state, batchId };
}

/** The operator's signed-in state (the user is created through the admin's session first). */
async function operatorState(baseURL, adminState) {
  const admin = await browser.newContext({ ...CONTEXT_OPTIONS, baseURL, storageState: adminState });
  const res = await admin.request.post("/api/users", { data: { ...OPERATOR, role: "operator" }, headers: { origin: baseURL } });
  await admin.close();
  if (!res.ok() && res.status() !== 409) throw new Error(`creating ${OPERATOR.username}: HTTP ${res.status()}`);
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Username").fill(OPERATOR.username);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

/**
 * One cold load of `url` (fresh context = empty cache, cache disabled, throttled): ms from
 * navigation start to `selector` on screen, then (after network idle + settle) the JS fetched.
 * Returns the page still open when `keepOpen`, for the tap series.
 */
async function coldLoad(baseURL, url, { selector, storageState, keepOpen = false }) {
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, baseURL, storageState });
  await context.addInitScript(readyProbe, selector);
  const { page } = await throttledPage(context, { cold: true });
  const res = await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
  const status = res?.status() ?? 0;
  let ready = null;
  // Not on an error page, and not redirected (e.g. to /login when the session is gone).
  if (status < 400 && new URL(page.url()).pathname === new URL(url, baseURL).pathname) {
    try {
      await page.waitForFunction(() => window.__floorBench?.frame != null, null, { timeout: 30_000, polling: 50 });
    } catch {
      /* reported as "not seen" */
    }
  }
  await page.waitForLoadState("load", { timeout: 60_000 }).catch(() => {});
  await page.waitForLoadState("networkidle", { timeout: 60_000 }).catch(() => {});
  await sleep(SETTLE_MS);
  await page.waitForLoadState("networkidle", { timeout: 30_000 }).catch(() => {});
  const entries = await page.evaluate(scriptEntries);
  ready = entries.ready ?? null;
  const finalPath = new URL(page.url()).pathname;
  const result = {
    status,
    finalPath,
    ready,
    js: entries.js,
    jsTransfer: entries.js.reduce((s, e) => s + e.transfer, 0),
    jsEncoded: entries.js.reduce((s, e) => s + e.encoded, 0),
    jsDecoded: entries.js.reduce((s, e) => s + e.decoded, 0),
    jsBeforeReady: ready == null ? null : entries.js.filter((e) => e.start <= ready).reduce((s, e) => s + e.transfer, 0),
  };
  if (keepOpen) return { ...result, page, context };
  await context.close();
  return result;
}

/** `TAPS` taps on +25 (and as many on the in-page baseline button) on an open, throttled page. */
async function tapSeries(page) {
  const plus = page.getByRole("button", { name: "+25", exact: true });
  if ((await plus.count()) === 0) return { missing: "no +25 button" };
  if ((await page.locator(COUNT).count()) === 0) return { missing: `no ${COUNT}` };
  const taps = [];
  for (let i = 0; i < TAPS; i++) {
    const r = await plus.first().evaluate(tapProbe, { target: COUNT, timeoutMs: 5_000, expectDelta: 25 });
    await sleep(1_500); // the write's round trip (150 ms latency) and any refetch it triggers
    r.kept =
      (await page
        .locator(COUNT)
        .first()
        .evaluate((el) => Number((el.textContent ?? "").replace(/[^\d]/g, "")))) === r.after;
    taps.push(r);
  }
  await page.evaluate(addBaselineButton);
  const base = [];
  for (let i = 0; i < TAPS; i++) {
    base.push(
      await page
        .locator("#floor-bench-baseline")
        .evaluate(tapProbe, { target: "[data-floor-bench-count]", timeoutMs: 5_000, expectDelta: 25 }),
    );
    await sleep(200);
  }
  return { taps, base };
}

// 3b. Service worker ----------------------------------------------------------------------------
/**
 * The service workers of a browser context, reached through the browser's CDP session. Network
 * conditions set on a page do not apply to the fetches its service worker makes (a navigation the
 * worker answers network-first would get no latency), so the worker's target gets them too.
 * Messages go through `Target.sendMessageToTarget` (Playwright's CDP sessions take no child
 * session id).
 */
class ContextWorkers {
  constructor(browserSession, browserContextId) {
    this.bs = browserSession;
    this.contextId = browserContextId;
    this.sessions = new Map(); // targetId → sessionId
    this.pending = new Map(); // message id → { resolve, reject }
    this.nextId = 1;
    this.cpuThrottled = null; // whether Emulation.setCPUThrottlingRate was accepted by the worker target
    this.onMessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.message);
      } catch {
        return;
      }
      const waiter = msg.id != null ? this.pending.get(msg.id) : undefined;
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(`${msg.error.message ?? "CDP error"}`));
      else waiter.resolve(msg.result);
    };
    this.bs.on("Target.receivedMessageFromTarget", this.onMessage);
  }

  static async of(page, context) {
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = await cdp.send("Target.getTargetInfo");
    await cdp.detach().catch(() => {});
    return new ContextWorkers(await browser.newBrowserCDPSession(), targetInfo.browserContextId);
  }

  send(sessionId, method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from the worker target`));
      }, 10_000);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.bs.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) }).catch((err) => {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Applies `network` (and the CPU rate, where the target accepts it) to every worker of the context. */
  async emulate(network) {
    const { targetInfos } = await this.bs.send("Target.getTargets");
    const workers = targetInfos.filter((t) => t.type === "service_worker" && t.browserContextId === this.contextId);
    for (const t of workers) {
      let sessionId = this.sessions.get(t.targetId);
      if (!sessionId) {
        ({ sessionId } = await this.bs.send("Target.attachToTarget", { targetId: t.targetId, flatten: false }));
        this.sessions.set(t.targetId, sessionId);
        await this.send(sessionId, "Network.enable");
        try {
          await this.send(sessionId, "Emulation.setCPUThrottlingRate", { rate: CPU_RATE });
          this.cpuThrottled = true;
        } catch {
          this.cpuThrottled = false;
        }
      }
      await this.send(sessionId, "Network.emulateNetworkConditions", network);
    }
    return workers.length;
  }

  async close() {
    this.bs.off("Target.receivedMessageFromTarget", this.onMessage);
    await this.bs.detach().catch(() => {});
  }
}

/**
 * First visit of `url` in `context` (unthrottled: setup, not measured): waits until the service
 * worker is active (its install, which fills the precache, is over) and controls the page —
 * reloading once if it does not — and lets the persisted query cache reach IndexedDB. `register`:
 * register `/sw.js` from the page (the app registers it only on signed-in pages).
 */
async function installServiceWorker(context, url, { selector, register }) {
  const page = await context.newPage();
  const res = await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  if (!res || res.status() >= 400) throw new Error(`${url}: HTTP ${res?.status() ?? "?"}`);
  await page.locator(selector).first().waitFor({ state: "visible", timeout: 30_000 });
  if (register) await page.evaluate(() => navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => undefined));
  const settle = () =>
    page.evaluate(async () => {
      const within = (promise, ms) => Promise.race([promise, new Promise((r) => setTimeout(() => r("timeout"), ms))]);
      const reg = await within(navigator.serviceWorker.ready, 60_000);
      if (reg === "timeout") return { active: false, controlled: false };
      if (!navigator.serviceWorker.controller)
        await within(new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true })), 5_000);
      return { active: reg.active?.state === "activated", controlled: Boolean(navigator.serviceWorker.controller) };
    });
  let state = await settle();
  let reloaded = false;
  if (state.active && !state.controlled) {
    reloaded = true;
    await page.reload({ waitUntil: "load", timeout: 60_000 });
    await page.locator(selector).first().waitFor({ state: "visible", timeout: 30_000 });
    state = await settle();
  }
  if (!state.controlled) throw new Error(`the service worker did not ${state.active ? "take control" : "activate within 60 s"}`);
  await sleep(1_300); // the persisted query cache is written at most once a second
  const caches = await page.evaluate(async () => {
    const names = await window.caches.keys();
    const precache = names.find((n) => n.includes("precache"));
    const reg = await navigator.serviceWorker.getRegistration();
    let persisted = null;
    if ((await indexedDB.databases()).some((d) => d.name === "preroll-query-cache")) {
      persisted = await new Promise((resolve) => {
        const open = indexedDB.open("preroll-query-cache");
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const db = open.result;
          try {
            const req = db.transaction("clients").objectStore("clients").count();
            req.onsuccess = () => (db.close(), resolve(req.result));
            req.onerror = () => (db.close(), resolve(null));
          } catch {
            db.close();
            resolve(null);
          }
        };
      });
    }
    return {
      precached: precache ? (await (await window.caches.open(precache)).keys()).length : 0,
      waiting: Boolean(reg?.installing || reg?.waiting),
      persisted,
    };
  });
  return { page, reloaded, ...caches };
}

/**
 * (d) One warm load of `url`: a fresh context, the worker installed by a first visit, then a new
 * tab (same context: HTTP cache, Cache Storage and IndexedDB kept; the worker still running)
 * loads `url` with the throttled profile (page and worker): ms from navigation start to
 * `selector` on screen, and where the JS came from.
 */
async function warmLoad(baseURL, url, { selector, storageState, register }) {
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, serviceWorkers: "allow", baseURL, storageState });
  let workers = null;
  try {
    await context.addInitScript(readyProbe, selector);
    const install = await installServiceWorker(context, url, { selector, register });
    await install.page.close({ runBeforeUnload: false }); // pagehide: the persister writes what is left
    const { page, cdp } = await throttledPage(context, { cold: false });
    workers = await ContextWorkers.of(page, context);
    const throttledWorkers = await workers.emulate(NETWORK);
    const js = { files: 0, fromWorker: 0, fromCache: 0, network: 0 };
    let navFromWorker = null;
    cdp.on("Network.responseReceived", ({ type, response }) => {
      if (type === "Document" && navFromWorker === null) navFromWorker = Boolean(response.fromServiceWorker);
      if (type !== "Script") return;
      js.files += 1;
      if (response.fromServiceWorker) js.fromWorker += 1;
      else if (response.fromDiskCache || response.fromPrefetchCache) js.fromCache += 1;
      else js.network += 1;
    });
    const res = await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
    const status = res?.status() ?? 0;
    const finalPath = new URL(page.url()).pathname;
    if (status < 400 && finalPath === new URL(url, baseURL).pathname) {
      await page.waitForFunction(() => window.__floorBench?.frame != null, null, { timeout: 30_000, polling: 50 }).catch(() => {});
    }
    const ready = await page.evaluate(() => window.__floorBench?.frame ?? null);
    const controlled = await page.evaluate(() => Boolean(navigator.serviceWorker.controller));
    await page.waitForLoadState("load", { timeout: 30_000 }).catch(() => {});
    return {
      status,
      finalPath,
      ready,
      controlled,
      navFromWorker,
      js,
      throttledWorkers,
      cpuThrottledWorker: workers.cpuThrottled,
      reloaded: install.reloaded,
      precached: install.precached,
      persisted: install.persisted,
    };
  } finally {
    await workers?.close();
    await context.close();
  }
}

/** The batch's 0.5 g count on the server (the page's session cookies, not throttled). */
async function serverCount(context, batchId) {
  const res = await context.request.get(`/api/batches/${encodeURIComponent(batchId)}`);
  if (!res.ok()) throw new Error(`GET /api/batches/{id}: HTTP ${res.status()}`);
  const body = await res.json();
  const count = body?.batch?.counts_0_5;
  if (typeof count !== "number") throw new Error("GET /api/batches/{id}: no batch.counts_0_5");
  return count;
}

/** In the page: resolves when the header shows `n pending` (or after `ms`, with what it shows). */
function waitPending({ selector, n, ms }) {
  return new Promise((resolve) => {
    const read = () => Number(/(\d+)\s*pending/.exec(document.querySelector(selector)?.textContent ?? "")?.[1] ?? 0);
    const t0 = performance.now();
    const tick = () => {
      const now = read();
      if (now === n || performance.now() - t0 > ms) resolve(now);
      else setTimeout(tick, 50);
    };
    tick();
  });
}

/** In the page: notes the `online` event, then the frame after the pending count is gone. */
function armDrainProbe(selector) {
  const probe = (window.__queueBench = { online: null, empty: null, frame: null, requests: 0 });
  // Count requests sent after `online` (an observer: the Resource Timing buffer may be full by now).
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (probe.online !== null && e.startTime >= probe.online && /\/counts$/.test(new URL(e.name).pathname)) probe.requests += 1;
  }).observe({ type: "resource" });
  const check = () => {
    if (probe.online === null || probe.empty !== null || document.querySelector(selector)) return;
    probe.empty = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => (probe.frame = performance.now()));
  };
  const observer = new MutationObserver(check);
  window.addEventListener(
    "online",
    () => {
      probe.online = performance.now();
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      check();
    },
    { once: true },
  );
}

/** In the page: `n` sequential POSTs of the +25 write with bare `fetch`, each with its own key. */
async function bareWrites({ path: url, n }) {
  const t0 = performance.now();
  const failed = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ add_0_5: 25 }),
      credentials: "same-origin",
    });
    await res.text();
    if (!res.ok) failed.push(res.status);
  }
  return { ms: performance.now() - t0, failed };
}

/**
 * (e) One round on `/batches/{id}` in a fresh context with the service worker on: `QUEUED` taps on
 * +25 offline (the page's network emulated offline, the worker's too, and every request of the
 * context aborted with `internetdisconnected`), `QUEUED pending` in the header checked, then back
 * online (route removed, the throttled profile back on page and worker): ms from the page's
 * `online` event until the pending count is gone (next frame). The server count must have grown
 * by exactly QUEUED × 25. Then the baseline on the same page: QUEUED bare sequential POSTs.
 */
async function queueRound(baseURL, { storageState, batchUrl, batchId, baselineFirst }) {
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, serviceWorkers: "allow", baseURL, storageState });
  let workers = null;
  const out = { outbox: null, bare: null, notes: [] };
  try {
    const { page } = await installServiceWorker(context, batchUrl, { selector: COUNT, register: false });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", NETWORK);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_RATE });
    workers = await ContextWorkers.of(page, context);
    await workers.emulate(NETWORK);
    await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
    await sleep(1_000);

    const bare = async () => {
      const before = await serverCount(context, batchId);
      const r = await page.evaluate(bareWrites, { path: `/api/batch/${encodeURIComponent(batchId)}/counts`, n: QUEUED });
      const delta = (await serverCount(context, batchId)) - before;
      out.bare = { ...r, delta };
      if (r.failed.length) out.notes.push(`bare POSTs: ${r.failed.length} failed (HTTP ${[...new Set(r.failed)].join(", ")})`);
      await sleep(1_500); // the refetches the writes' events trigger
    };

    const outbox = async () => {
      if ((await page.locator(PENDING).count()) > 0) out.notes.push("outbox: entries were pending before the offline taps");
      const before = await serverCount(context, batchId);
      await context.route("**/*", (route) => route.abort("internetdisconnected"));
      await cdp.send("Network.emulateNetworkConditions", { ...NETWORK, offline: true });
      await workers.emulate({ ...NETWORK, offline: true });
      const plus = page.getByRole("button", { name: "+25", exact: true }).first();
      for (let i = 0; i < QUEUED; i++) await plus.click({ timeout: 10_000 });
      const shown = await page.evaluate(waitPending, { selector: PENDING, n: QUEUED, ms: 30_000 });
      if (shown !== QUEUED) out.notes.push(`outbox: the header showed ${shown} pending after ${QUEUED} offline taps`);
      const displayed = await page.locator(PENDING).first().textContent();
      await page.evaluate(armDrainProbe, PENDING);
      await context.unrouteAll({ behavior: "ignoreErrors" });
      await workers.emulate(NETWORK);
      await cdp.send("Network.emulateNetworkConditions", NETWORK); // fires `online` in the page
      const fired = await page
        .waitForFunction(() => window.__queueBench.online !== null, null, { timeout: 2_000, polling: 20 })
        .then(() => true)
        .catch(() => false);
      if (!fired) {
        out.notes.push("outbox: no `online` event after the network came back; dispatched one");
        await page.evaluate(() => window.dispatchEvent(new Event("online")));
      }
      const ok = await page
        .waitForFunction(() => window.__queueBench.frame !== null, null, { timeout: 300_000, polling: 100 })
        .then(() => true)
        .catch(() => false);
      const probe = await page.evaluate(() => window.__queueBench);
      const delta = (await serverCount(context, batchId)) - before;
      out.outbox = {
        ms: ok ? probe.frame - probe.online : null,
        shown,
        displayed: displayed?.trim() ?? "",
        delta,
        requests: probe.requests,
      };
      await sleep(1_500);
    };

    if (baselineFirst) {
      await bare();
      await outbox();
    } else {
      await outbox();
      await bare();
    }
    return out;
  } finally {
    await workers?.close();
    await context.close();
  }
}

// 4. Run ----------------------------------------------------------------------------------------
log("Floor benchmark (UI-GUIDE §5 budgets, production build, throttled tablet profile)");
for (const line of machineInfo()) log(`  ${line}`);
if (!fs.existsSync(opts.chromium)) setupFail(`no browser at ${opts.chromium} (apt-get install -y chromium, or --chromium=PATH)`);
const port = await freePort();
const baseURL = `http://127.0.0.1:${port}`;
await startApp(port);
try {
  browser = await chromium.launch({ executablePath: opts.chromium, args: CHROMIUM_ARGS, headless: true });
} catch (err) {
  setupFail(`could not launch ${opts.chromium}: ${err.message.split("\n")[0]}`);
}
const { state, batchId } = await signIn(baseURL).catch((err) => setupFail(`sign-in failed: ${err.message.split("\n")[0]}`));
log(`  signed in as ${ADMIN.username}; batch for /batches/{id}: ${batchId ?? "none found"}`);
log("");

const samples = { login: [], board: [], batch: [], taps: [], tapBase: [], warmLogin: [], warmBoard: [], queue: [] };
const notes = new Set();
const batchUrl = batchId ? `/batches/${encodeURIComponent(batchId)}` : null;
const firstLine = (err) => String(err?.message ?? err).split("\n")[0];
for (let round = 1; round <= ROUNDS; round++) {
  const parts = [];
  if (COLD) {
    const login = await coldLoad(baseURL, "/login", { selector: LOGIN_READY, storageState: undefined });
    samples.login.push(login);
    const board = await coldLoad(baseURL, "/", { selector: CARD, storageState: state });
    if (board.finalPath !== "/") notes.add(`/ ended on ${board.finalPath} (session lost?)`);
    samples.board.push(board);
    parts.push(`/login ${login.ready == null ? "not seen" : ms(login.ready)}, ${kb(login.jsTransfer)} JS`);
    parts.push(`/ ${board.ready == null ? "no card" : ms(board.ready)}, ${kb(board.jsTransfer)} JS`);
  }
  if (batchUrl && (ONLY.has("b") || ONLY.has("c"))) {
    const batch = await coldLoad(baseURL, batchUrl, { selector: `${COUNT}, main`, storageState: state, keepOpen: true });
    if (batch.status >= 400 || batch.finalPath !== batchUrl) {
      notes.add(`${batchUrl}: HTTP ${batch.status}${batch.finalPath !== batchUrl ? `, ended on ${batch.finalPath}` : ""}`);
    } else {
      samples.batch.push(batch);
      parts.push(`${batchUrl} ${kb(batch.jsTransfer)} JS`);
      const t = ONLY.has("c") ? await tapSeries(batch.page) : null;
      if (t?.missing) notes.add(`tap: ${t.missing}`);
      else if (t) {
        samples.taps.push(...t.taps);
        samples.tapBase.push(...t.base);
        parts.push(`+25 ${t.taps.map((x) => (x.timeout ? "timeout" : ms(x.frame))).join("/")}`);
      }
    }
    await batch.context.close();
  }
  if (ONLY.has("d")) {
    // Interleaved like the cold loads: the baseline first.
    for (const [key, url, selector, storageState, register] of [
      ["warmLogin", "/login", LOGIN_READY, undefined, true],
      ["warmBoard", "/", CARD, state, false],
    ]) {
      try {
        const r = await warmLoad(baseURL, url, { selector, storageState, register });
        samples[key].push(r);
        parts.push(`warm ${url} ${r.ready == null ? "not seen" : ms(r.ready)}`);
        if (r.finalPath !== url) notes.add(`warm ${url} ended on ${r.finalPath} (HTTP ${r.status})`);
        if (!r.controlled) notes.add(`warm ${url}: the page was not controlled by the service worker`);
      } catch (err) {
        notes.add(`warm ${url}: ${firstLine(err)}`);
        parts.push(`warm ${url} failed`);
      }
    }
  }
  if (ONLY.has("e")) {
    if (!batchUrl) notes.add("queue: no batch");
    else {
      try {
        // The order alternates round by round, so neither side always runs on the warmer server.
        const r = await queueRound(baseURL, { storageState: state, batchUrl, batchId, baselineFirst: round % 2 === 0 });
        samples.queue.push(r);
        for (const n of r.notes) notes.add(n);
        const o = r.outbox;
        parts.push(
          `queue ${QUEUED}: outbox ${o?.ms == null ? "not emptied" : ms(o.ms)} (server +${o?.delta ?? "?"}), bare ${
            r.bare ? ms(r.bare.ms) : "?"
          } (server +${r.bare?.delta ?? "?"})`,
        );
      } catch (err) {
        notes.add(`queue: ${firstLine(err)}`);
        parts.push("queue failed");
      }
    }
  }
  log(`  round ${round}: ${parts.join(" · ")}`);
}
log("");

// (f) once: JS bytes do not vary between rounds the way times do.
const desk = [];
let inventoryLoad = null;
if (ONLY.has("f")) {
  inventoryLoad = await operatorState(baseURL, state)
    .then((operator) => coldLoad(baseURL, "/inventory", { selector: "main h1", storageState: operator }))
    .catch((err) => {
      notes.add(`/inventory: ${firstLine(err)}`);
      return null;
    });
  for (const template of DESK_PAGES) {
    const url = template.replace("{id}", encodeURIComponent(batchId ?? "none"));
    try {
      const r = await coldLoad(baseURL, url, { selector: "main h1", storageState: state });
      desk.push({ template, ...r });
    } catch (err) {
      notes.add(`${template}: ${firstLine(err)}`);
    }
  }
  log(`  desk pages: ${desk.map((d) => `${d.template} ${d.status < 400 ? kb(d.jsTransfer) : `HTTP ${d.status}`}`).join(" · ")}`);
  log("");
}

// 5. Report -------------------------------------------------------------------------------------
const stats = (xs) => ({ min: Math.min(...xs), med: median(xs), max: Math.max(...xs) });
const fmtStats = (xs, f) => {
  const s = stats(xs);
  return `min ${f(s.min)}  median ${f(s.med)}  max ${f(s.max)}`;
};
const verdict = (value, budget) => (value <= budget ? "PASS" : "FAIL");
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");

const loginReady = samples.login.map((s) => s.ready).filter((v) => v != null);
const loginJs = samples.login.map((s) => s.jsTransfer);
if (ONLY.has("a") || ONLY.has("b")) {
  log("Baseline (same run, same profile): cold load of /login (unauthenticated) to its button on screen");
  log(`  time       ${loginReady.length ? fmtStats(loginReady, ms) : "not seen"}`);
  log(`  JS          ${fmtStats(loginJs, kb)}`);
  log("");
}

if (ONLY.has("a")) {
  log(`(a) board cold load, navigation start → first ${CARD} on screen (budget ≤ ${ms(BUDGET_COLD_MS)})`);
  const boardReady = samples.board.map((s) => s.ready).filter((v) => v != null);
  if (boardReady.length < samples.board.length)
    log(`  no card seen in ${samples.board.length - boardReady.length} of ${samples.board.length} loads`);
  if (boardReady.length) {
    const med = median(boardReady);
    log(`  ${fmtStats(boardReady, ms)}   ratio to baseline ${ratio(med, median(loginReady))}   ${verdict(med, BUDGET_COLD_MS)}`);
  }
  log("");
}

const jsLine = (name, list) => {
  if (list.length === 0) return;
  const wire = list.map((s) => s.jsTransfer);
  const med = median(wire);
  const last = list.at(-1);
  log(`  ${name.padEnd(18)} ${fmtStats(wire, kb)}   ratio to baseline ${ratio(med, median(loginJs))}   ${verdict(med, BUDGET_JS_BYTES)}`);
  log(
    `  ${"".padEnd(18)} ${last.js.length} files; bodies ${kb(last.jsEncoded)} compressed, ${kb(last.jsDecoded)} raw; before the ready mark ${
      last.jsBeforeReady == null ? "n/a" : kb(last.jsBeforeReady)
    }`,
  );
};
// Which of the files mention Sentry (fetched again, unthrottled, from the server).
const chunkInfo = new Map();
async function describeChunk(url) {
  if (chunkInfo.has(url)) return chunkInfo.get(url);
  const u = new URL(url);
  const res = await get(port, u.pathname + u.search);
  const info = {
    raw: res.body.length,
    gzip: gzipSync(res.body, { level: 6 }).length,
    sentry: (res.body.toString("latin1").match(/sentry/gi) ?? []).length,
    desk: DESK_MARKERS.filter(([, re]) => re.test(res.body.toString("latin1"))).map(([name]) => name),
  };
  chunkInfo.set(url, info);
  return info;
}
const routes = [
  ["/login", samples.login.at(-1)],
  ["/", samples.board.at(-1)],
  ["/batches/{id}", samples.batch.at(-1)],
];

if (ONLY.has("b")) {
  log(`(b) JavaScript transferred (compressed, on the wire, cache disabled; budget ≤ ${kb(BUDGET_JS_BYTES)} per route)`);
  jsLine("/", samples.board);
  if (samples.batch.length) jsLine("/batches/{id}", samples.batch);
  else log(`  /batches/{id}      not measurable yet (${[...notes].find((n) => n.startsWith("/batches")) ?? "no batch id"})`);

  const sentryFiles = [];
  for (const [name, s] of routes) {
    if (!s) continue;
    for (const e of s.js) {
      const info = await describeChunk(e.url);
      if (info.sentry > 0) sentryFiles.push(`${name} ${new URL(e.url).pathname} (${kb(info.raw)} raw, "sentry" × ${info.sentry})`);
    }
  }
  log(`  Sentry in the JS of these routes: ${sentryFiles.length ? "" : "none"}`);
  for (const f of [...new Set(sentryFiles)]) log(`    ${f}`);
  log("");
}

if (ONLY.has("c")) {
  log(`(c) tap on +25 → new count on screen, timed in the page (budget ≤ ${ms(BUDGET_TAP_MS)})`);
  if (samples.taps.length === 0) {
    log(
      `  not measurable yet (${[...notes].find((n) => n.startsWith("tap:"))?.slice(5) ?? (batchUrl ? "no /batches/{id} page" : "no batch")})`,
    );
  } else {
    const ok = samples.taps.filter((t) => !t.timeout);
    const timeouts = samples.taps.length - ok.length;
    if (timeouts) log(`  ${timeouts} of ${samples.taps.length} taps showed no +25 within 5 s`);
    const reverted = samples.taps.filter((t) => !t.timeout && !t.kept).length;
    if (reverted) log(`  ${reverted} taps: the count changed again within 1.5 s (rolled back or overwritten)`);
    const base = samples.tapBase.filter((t) => !t.timeout).map((t) => t.frame);
    if (ok.length) {
      const frames = ok.map((t) => t.frame);
      const med = median(frames);
      log(
        `  to screen  ${fmtStats(frames, ms)}   ratio to baseline ${ratio(med, median(base))}   ${timeouts ? "FAIL" : verdict(med, BUDGET_TAP_MS)}`,
      );
      log(
        `  to DOM     ${fmtStats(
          ok.map((t) => t.dom),
          ms,
        )}`,
      );
    } else log("  FAIL");
    if (base.length) log(`  baseline (a plain button setting a text, same page): ${fmtStats(base, ms)}`);
  }
  log("");
}

if (ONLY.has("d")) {
  log(
    `(d) board warm load (service worker installed and controlling, precache filled), navigation start → first ${CARD} on screen (budget ≤ ${ms(BUDGET_WARM_MS)})`,
  );
  const warmReady = (list) => list.map((s) => s.ready).filter((v) => v != null);
  const board = warmReady(samples.warmBoard);
  const login = warmReady(samples.warmLogin);
  if (board.length < samples.warmBoard.length)
    log(`  no card seen in ${samples.warmBoard.length - board.length} of ${samples.warmBoard.length} loads`);
  if (board.length) {
    const med = median(board);
    log(`  ${fmtStats(board, ms)}   ratio to baseline ${ratio(med, median(login))}   ${verdict(med, BUDGET_WARM_MS)}`);
  } else log("  not measured (see the notes)");
  log(
    `  baseline: the same warm load of /login (unauthenticated; /sw.js registered by the bench from /login) to its button: ${login.length ? fmtStats(login, ms) : "not seen"}`,
  );
  const last = samples.warmBoard.at(-1);
  if (last) {
    const workerCpu = last.cpuThrottledWorker === true ? `CPU ${CPU_RATE}×` : "CPU not throttled (target refused it)";
    log(
      `  last load: document ${last.navFromWorker ? "through the worker" : "not through the worker"}; JS ${last.js.files} files: ${last.js.fromWorker} from the worker, ${last.js.fromCache} HTTP cache, ${last.js.network} network; precache ${last.precached} entries; query cache persisted: ${last.persisted ? "yes" : "no"}; install reloaded: ${last.reloaded ? "yes" : "no"}; worker throttled: network as the page, ${workerCpu}`,
    );
  }
  log("");
}

if (ONLY.has("e")) {
  log(
    `(e) online → empty queue, ${QUEUED} +25 taps queued offline on /batches/{id}: the page's online event → ${PENDING} gone (next frame)`,
  );
  const rounds = samples.queue.filter((r) => r.outbox);
  const done = rounds.filter((r) => r.outbox.ms != null);
  const bare = samples.queue.filter((r) => r.bare).map((r) => r.bare.ms);
  if (done.length < rounds.length)
    log(`  the queue did not empty within 5 min in ${rounds.length - done.length} of ${rounds.length} rounds`);
  if (done.length) {
    const times = done.map((r) => r.outbox.ms);
    const med = median(times);
    log(`  time         ${fmtStats(times, ms)}   ratio to baseline ${ratio(med, median(bare))}   budget: none (reported)`);
    log(
      `  per mutation ${fmtStats(
        times.map((t) => t / QUEUED),
        ms,
      )}`,
    );
  } else log("  not measured (see the notes)");
  if (bare.length) {
    log(`  baseline: ${QUEUED} sequential bare fetch POSTs from the same page (own Idempotency-Key each), same profile`);
    log(`    time         ${fmtStats(bare, ms)}`);
    log(
      `    per request  ${fmtStats(
        bare.map((t) => t / QUEUED),
        ms,
      )}`,
    );
  }
  const want = QUEUED * 25;
  const checks = samples.queue.flatMap((r) => [r.outbox && ["outbox", r.outbox.delta], r.bare && ["bare", r.bare.delta]]).filter(Boolean);
  const wrong = checks.filter(([, d]) => d !== want);
  log(
    `  server (GET /api/batches/{id}, counts_0_5): ${wrong.length ? `WRONG: ${wrong.map(([k, d]) => `${k} +${d}`).join(", ")} (want +${want})` : `+${want} after each side in every round`}`,
  );
  if (rounds.length) {
    log(
      `  header before going online: "${rounds.at(-1).outbox.displayed}"; count requests sent while draining: ${rounds.map((r) => r.outbox.requests).join(", ")}`,
    );
  }
  log("");
}
if (ONLY.has("f")) {
  log("(f) desk pages' JavaScript (compressed, on the wire, one cold load each; no budget — reported) and desk-only code on floor routes");
  const base = median(loginJs.length ? loginJs : [0]);
  for (const d of desk) {
    const built = d.status < 400;
    log(
      `  ${d.template.padEnd(22)} ${built ? `${kb(d.jsTransfer).padStart(9)}   ${d.js.length} files   ratio to /login ${ratio(d.jsTransfer, base)}` : `not built (HTTP ${d.status})`}`,
    );
  }
  const floorRoutes = [
    ["/", samples.board.at(-1)],
    ["/batches/{id}", samples.batch.at(-1)],
    ["/inventory (operator)", inventoryLoad],
  ];
  for (const [name, load] of floorRoutes) {
    if (!load) {
      log(`  ${name.padEnd(22)} not loaded in this run (measure with b)`);
      continue;
    }
    const found = new Set();
    for (const e of load.js) for (const m of (await describeChunk(e.url)).desk) found.add(m);
    log(
      `  floor ${name.padEnd(16)} ${kb(load.jsTransfer).padStart(9)}   ${verdict(load.jsTransfer, BUDGET_JS_BYTES)} (≤ ${kb(BUDGET_JS_BYTES)})   desk-only code: ${found.size ? `FOUND ${[...found].join(", ")} — FAIL` : "none"}`,
    );
  }
  log("");
}
for (const n of notes) log(`  note: ${n}`);

if (opts.chunks) {
  log("");
  log("JS files per route (last round; raw and gzip -6 of the body as served, wire = Resource Timing transferSize):");
  for (const [name, s] of routes) {
    if (!s) continue;
    log(`  ${name}`);
    const rows = [];
    for (const e of s.js) rows.push({ e, info: await describeChunk(e.url) });
    rows.sort((a, b) => b.info.raw - a.info.raw);
    for (const { e, info } of rows) {
      log(
        `    ${new URL(e.url).pathname.padEnd(60)} raw ${kb(info.raw).padStart(9)}  gzip ${kb(info.gzip).padStart(8)}  wire ${kb(e.transfer).padStart(8)}  start ${ms(
          e.start,
        ).padStart(7)}${info.sentry ? `  sentry×${info.sentry}` : ""}`,
      );
    }
    const sum = rows.reduce((acc, { e, info }) => ({ raw: acc.raw + info.raw, gzip: acc.gzip + info.gzip, wire: acc.wire + e.transfer }), {
      raw: 0,
      gzip: 0,
      wire: 0,
    });
    log(`    ${"total".padEnd(60)} raw ${kb(sum.raw).padStart(9)}  gzip ${kb(sum.gzip).padStart(8)}  wire ${kb(sum.wire).padStart(8)}`);
  }
}

await cleanup();
process.exit(0);
