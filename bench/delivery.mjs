#!/usr/bin/env node
/**
 * Delivery benchmark (`node bench/delivery.mjs`): how fast the worker turns committed events into
 * webhook deliveries, against pg-boss doing the same work and against a bare HTTP client loop,
 * all measured in the same run on the same machine. See bench/README.md.
 *
 * Every sender POSTs to one local receiver (node:http, in this process) that counts unique
 * `webhook-id`s and stamps when each first arrived; commit times are stamped in this process too,
 * so commit-to-receipt latencies share one clock.
 *
 *   ours     the real worker (`tsx worker/index.ts`) on a scratch SQLite database migrated with
 *            scripts/migrate.mjs; events are committed here as event rows in transactions, the
 *            worker relays them to deliveries for one webhook subscriber and delivers them.
 *   pg-boss  pg-boss 12 on the local PostgreSQL (a scratch database, dropped afterwards): a job per
 *            event, inserted here; a child process works the queue with `localConcurrency` ×
 *            `batchSize`, LISTEN/NOTIFY on, and POSTs each job signed like ours, with a keep-alive
 *            node:http client (`--pgboss-http=undici`: undici's dispatch(), as our worker sends).
 *   ceiling  a child process POSTing as fast as it can with a keep-alive agent: "bare" (a fixed
 *            tiny body) and "signed" (the same envelope and signature the others send).
 *   ours-pg1, ours-pg2  the real worker, 1 or 2 processes, on a scratch PostgreSQL database
 *            migrated with scripts/migrate.mjs (dropped afterwards); events are committed here
 *            as `mutate` commits them (write lock, event rows, pg_notify) and the workers wake on
 *            the notification. CPU includes the PostgreSQL backends serving that database.
 *   mutate   single-event `mutate` commits/s under the write lock on PostgreSQL vs SQLite
 *            (bench/mutate-commits.ts through tsx, on scratch databases).
 *
 * Burst: N events (default 10 000) committed at once; deliveries/s from the first commit to the
 * last receipt, and commit-to-receipt latency. Steady: one event per transaction at a fixed rate
 * (default 500/s) while the worker runs; commit-to-receipt p50/p95/p99. CPU time per delivery of
 * each process involved is read from /proc, to show where the time goes.
 *
 * A measurement, not a test: exits 0 whatever the figures, non-zero only when the setup fails.
 */
import { spawn, execFileSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** lib/db/mutate.ts WRITE_LOCK_KEY (the PostgreSQL write lock; also in the events trigger migration). */
const WRITE_LOCK_KEY = 0x50525431;

// Options ---------------------------------------------------------------------------------------
const { values: opts } = parseArgs({
  options: {
    events: { type: "string", default: process.env.BENCH_EVENTS ?? "10000" },
    warmup: { type: "string", default: process.env.BENCH_WARMUP_EVENTS ?? "2000" },
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "1" },
    rate: { type: "string", default: process.env.BENCH_RATE ?? "500" },
    seconds: { type: "string", default: process.env.BENCH_STEADY_SECONDS ?? "10" },
    "pgboss-workers": { type: "string", default: process.env.BENCH_PGBOSS_WORKERS ?? "32" },
    "pgboss-batch": { type: "string", default: process.env.BENCH_PGBOSS_BATCH ?? "200" },
    "pgboss-http": { type: "string", default: process.env.BENCH_PGBOSS_HTTP ?? "node" },
    "ceiling-concurrency": { type: "string", default: process.env.BENCH_CEILING_CONCURRENCY ?? "64" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
    only: { type: "string", default: process.env.BENCH_ONLY ?? "" },
    phases: { type: "string", default: process.env.BENCH_PHASES ?? "burst,steady" },
    "worker-env": { type: "string", multiple: true, default: [] },
    "mutate-count": { type: "string", default: process.env.BENCH_MUTATE_COUNT ?? "2000" },
    "mutate-concurrency": { type: "string", default: process.env.BENCH_MUTATE_CONCURRENCY ?? "1,8" },
    "worker-cpu-prof": { type: "string" },
    keep: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
    // Internal: this script re-runs itself as the pg-boss worker and the ceiling client.
    child: { type: "string" },
    config: { type: "string" },
  },
  strict: true,
});

const HELP = `Usage: node bench/delivery.mjs [options]   (see bench/README.md)
  --events=N               events per burst (BENCH_EVENTS, default 10000)
  --warmup=N               events delivered by each sender before measuring, discarded (default 2000)
  --rounds=N               bursts per sender, interleaved; medians are reported (BENCH_ROUNDS, default 1)
  --rate=R --seconds=S     steady phase: R events/s for S seconds (default 500, 10)
  --pgboss-workers=N       pg-boss localConcurrency (default 32)
  --pgboss-batch=N         pg-boss batchSize (default 200)
  --pgboss-http=node|undici|fetch  pg-boss handler's HTTP client: node:http keep-alive (default), undici's
                           dispatch() as ours uses it (lib/events/delivery/http-client.ts), or fetch
  --ceiling-concurrency=N  concurrent keep-alive requests of the bare client (default 64)
  --pg-url=URL             PostgreSQL to create the scratch database on (default postgres@127.0.0.1:5432)
  --only=LIST              run only these (BENCH_ONLY, default all): ours, pgboss, ceiling,
                           ours-pg (= ours-pg1,ours-pg2: our worker ×1 / ×2 on PostgreSQL), mutate
  --mutate-count=N         mutate phase: single-event mutate calls per run (default 2000)
  --mutate-concurrency=L   mutate phase: concurrent callers, one run each (default 1,8)
  --phases=burst,steady    which phases ours and pg-boss run (BENCH_PHASES, default both)
  --worker-env=K=V         extra environment for our worker (repeatable), e.g. DELIVERY_BATCH=50
  --worker-cpu-prof=DIR    write V8 CPU profiles of our workers (SQLite and PostgreSQL) into DIR (node --cpu-prof --import tsx)
  --keep                   keep the run's temp dir (database, logs)
  --verbose                stream the children's output`;

// Shared bits -----------------------------------------------------------------------------------
function num(name, min) {
  const v = Number(opts[name]);
  if (!Number.isFinite(v) || v < min) {
    console.error(`bench: --${name} must be a number ≥ ${min}`);
    process.exit(2);
  }
  return Math.floor(v);
}

const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");

/** Standard Webhooks signature, computed the same way for every sender but ours (which signs itself). */
function sign(secret, msgId, body) {
  const ts = Math.floor(Date.now() / 1000);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const sig = createHmac("sha256", key).update(`${msgId}.${ts}.${body}`).digest("base64");
  return { "webhook-id": msgId, "webhook-timestamp": String(ts), "webhook-signature": `v1,${sig}` };
}

/** An envelope shaped like ours, so every sender POSTs the same bytes. */
function envelopeBody(id, n) {
  return JSON.stringify({
    id,
    type: "sync.requested",
    payload: { requested_at: `bench-${n}` },
    metadata: { timestamp: new Date().toISOString(), actor: "bench", traceId: randomUUID().replaceAll("-", ""), source: "bench" },
  });
}

function post(agent, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** `post` through undici's `dispatch()`, the way our worker's webhook client sends (the body dropped). */
function postUndici(agent, url, headers, body) {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let status = 0;
    agent.dispatch(
      {
        origin: target.origin,
        path: target.pathname,
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: Buffer.from(body),
      },
      {
        onRequestStart() {},
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData() {},
        onResponseEnd: () => (status >= 200 && status < 300 ? resolve() : reject(new Error(`HTTP ${status}`))),
        onResponseError: (_controller, err) => reject(err),
      },
    );
  });
}

/** CPU seconds used so far by the processes matching `match(comm, pgrp)` (Linux /proc). */
function cpuSeconds(match) {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (match(comm, Number(f[2]))) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / hz;
}

/** CPU ticks (utime + stime) of one process, or null when it is gone. */
function pidTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

/**
 * CPU of the PostgreSQL backends serving one database, by group ("commits": this process's
 * connections, application_name preroll-bench; "worker": every other client backend, i.e. our
 * workers' Prisma pool, delivery store pool and LISTEN connection). pg_stat_activity gives the
 * backend pids; their /proc ticks are sampled every 200 ms and the last value of each pid is
 * kept, so a backend that exits mid-run still counts (minus at most its last 200 ms).
 */
function pgBackendCpu(admin, datname) {
  const seen = new Map(); // pid → { group, first, last }
  let timer = null;
  const refresh = async () => {
    const { rows } = await admin.query(
      `SELECT pid, application_name FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
      [datname],
    );
    for (const { pid, application_name } of rows) {
      const t = pidTicks(pid);
      if (t === null) continue;
      const e = seen.get(pid);
      // A pid first seen now: count from 0 (its connection start belongs to this run) unless it
      // was there before the sampler started (start() records those with their current ticks).
      if (e) e.last = t;
      else seen.set(pid, { group: application_name === "preroll-bench" ? "commits" : "worker", first: 0, last: t });
    }
  };
  const total = (group) => {
    let ticks = 0;
    for (const e of seen.values()) if (group === "all" || e.group === group) ticks += e.last - e.first;
    return ticks / 100; // USER_HZ
  };
  return {
    async start() {
      await refresh();
      for (const e of seen.values()) e.first = e.last;
      timer = setInterval(() => void refresh().catch(() => undefined), 200);
    },
    stop() {
      clearInterval(timer);
    },
    /** CPU seconds since start(), after a fresh sample (async: burst() awaits every reading). */
    reader: (group) => async () => {
      await refresh().catch(() => undefined);
      return total(group);
    },
  };
}

// Children --------------------------------------------------------------------------------------
async function runCeilingChild({ url, concurrency, secret }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  // Each line on stdin is "<bare|signed> <count>": POSTs to make, then "done" on stdout.
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [mode, count] = line.split(" ");
    const end = next + Number(count);
    const loop = async () => {
      while (next < end) {
        const n = next++;
        const id = `${n}_ceiling`;
        if (mode === "bare") {
          await post(agent, url, { "webhook-id": id }, "{}");
        } else {
          const body = envelopeBody(n, n);
          await post(agent, url, sign(secret, id, body), body);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    console.log("done");
  }
  agent.destroy();
}

async function runPgBossChild({ connectionString, queue, url, secret, workers, batch, client }) {
  const { PgBoss } = await import("pg-boss");
  const boss = new PgBoss({ connectionString, max: workers + 4, useListenNotify: true, supervise: false, schedule: false, migrate: false });
  boss.on("error", (err) => console.error("pg-boss child:", err.message));
  await boss.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers * batch });
  const undiciAgent =
    client === "undici" ? new (await import("undici")).Agent({ connections: workers * batch, headersTimeout: 0, bodyTimeout: 0 }) : null;
  await boss.work(
    queue,
    { localConcurrency: workers, batchSize: batch, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
    async (jobs) => {
      await Promise.all(
        jobs.map((job) => {
          const body = envelopeBody(job.data.n, job.data.n);
          const headers = sign(secret, `${job.data.n}_pgboss`, body);
          if (client === "fetch") {
            return fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body }).then(async (res) => {
              await res.arrayBuffer();
              if (!res.ok) throw new Error(`HTTP ${res.status}`);
            });
          }
          return client === "undici" ? postUndici(undiciAgent, url, headers, body) : post(agent, url, headers, body);
        }),
      );
    },
  );
  console.log("ready");
  process.on("SIGTERM", async () => {
    await boss.stop({ graceful: true, timeout: 5000 }).catch(() => undefined);
    process.exit(0);
  });
}

// Main ------------------------------------------------------------------------------------------
async function main() {
  const EVENTS = num("events", 1);
  const WARMUP = num("warmup", 0);
  const ROUNDS = num("rounds", 1);
  const RATE = num("rate", 1);
  const SECONDS = num("seconds", 1);
  const PGBOSS_WORKERS = num("pgboss-workers", 1);
  const PGBOSS_BATCH = num("pgboss-batch", 1);
  const CEILING_CONCURRENCY = num("ceiling-concurrency", 1);
  const ONLY = new Set(
    opts.only
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const runs = (part) => ONLY.size === 0 || ONLY.has(part);
  const PHASES = new Set(opts.phases.split(",").map((s) => s.trim().toLowerCase()));

  const RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-delivery-bench-"));
  const children = new Set();
  let pgAdmin = null;
  let scratchDb = null;
  /** Scratch databases of the PostgreSQL phases (ours-pg*, mutate), dropped at the end. */
  const pgScratchDbs = [];
  const pgPools = [];
  let closing = false;
  const samplers = [];
  async function ensurePgAdmin() {
    if (pgAdmin) return pgAdmin;
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: opts["pg-url"] });
    try {
      await admin.connect();
    } catch (err) {
      await failSetup(`PostgreSQL at ${opts["pg-url"]}: ${err.message}`);
    }
    return (pgAdmin = admin);
  }
  /** A small pool for the CPU samplers' pg_stat_activity queries (they run every 200 ms, overlapping). */
  let samplerPoolP = null;
  async function samplerPool() {
    if (samplerPoolP) return samplerPoolP;
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: opts["pg-url"], max: 2 });
    pool.on("error", () => undefined);
    pgPools.push(pool);
    return (samplerPoolP = pool);
  }
  /** Creates and migrates (scripts/migrate.mjs) a scratch PostgreSQL database; returns its URL. */
  async function createPgScratch(name) {
    const admin = await ensurePgAdmin();
    const db = `prt_bench_${name}_${process.pid}`;
    try {
      await admin.query(`CREATE DATABASE ${db}`);
      pgScratchDbs.push(db);
    } catch (err) {
      await failSetup(`CREATE DATABASE ${db}: ${err.message}`);
    }
    const dbUrl = Object.assign(new URL(opts["pg-url"]), { pathname: `/${db}` }).toString();
    migrateDb(dbUrl);
    return { db, url: dbUrl };
  }
  function migrateDb(dbUrl) {
    try {
      execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "scripts/migrate.mjs"], {
        cwd: REPO,
        env: { ...process.env, DATABASE_URL: dbUrl },
        stdio: ["ignore", "ignore", "inherit"],
      });
    } catch {
      return failSetup(`scripts/migrate.mjs failed for ${dbUrl}`);
    }
  }

  /** Our worker (worker/index.ts through tsx); with --worker-cpu-prof, under `node --cpu-prof`. */
  function spawnWorker(workerEnv, label) {
    return opts["worker-cpu-prof"]
      ? spawnChild(
          process.execPath,
          ["--cpu-prof", `--cpu-prof-dir=${path.resolve(opts["worker-cpu-prof"])}`, "--import", "tsx", "worker/index.ts"],
          workerEnv,
          label,
        )
      : spawnChild(path.join(REPO, "node_modules", ".bin", "tsx"), ["worker/index.ts"], workerEnv, label);
  }

  // Receiver ------------------------------------------------------------------------------------
  /** webhook-id → first receipt time, per measurement. */
  let seen = new Map();
  let received = 0;
  let waiters = [];
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = req.headers["webhook-id"];
      received++;
      if (typeof id === "string" && !seen.has(id)) {
        seen.set(id, nowMs());
        if (waiters.length) waiters = waiters.filter((w) => !w());
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/hook`;

  /** Resolves once `count` unique ids were seen; rejects after `timeoutMs`. */
  function waitForUnique(count, timeoutMs, label) {
    return new Promise((resolve, reject) => {
      if (seen.size >= count) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`${label}: only ${seen.size} of ${count} delivered within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      waiters.push(() => {
        if (seen.size < count) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
  }
  function resetReceipts() {
    seen = new Map();
    received = 0;
  }

  async function cleanup() {
    for (const c of children) await stopChild(c, "SIGTERM");
    closing = true; // dropping the scratch databases ends their connections
    for (const s of samplers) s.stop();
    pgAdmin?.on("error", () => undefined);
    for (const p of pgPools) await p.end().catch(() => undefined);
    server.closeAllConnections?.();
    server.close();
    if (pgAdmin && scratchDb) await pgAdmin.query(`DROP DATABASE IF EXISTS ${scratchDb} WITH (FORCE)`).catch(() => undefined);
    for (const db of pgScratchDbs) await pgAdmin?.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await pgAdmin?.end().catch(() => undefined);
    if (!opts.keep) fs.rmSync(RUN_DIR, { recursive: true, force: true });
    else console.log(`bench: kept ${RUN_DIR}`);
  }
  process.on("SIGINT", () => cleanup().finally(() => process.exit(130)));

  function spawnChild(command, args, env, name) {
    const child = spawn(command, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const proc = { child, name, exited: false, log: path.join(RUN_DIR, `${name}.log`) };
    const logStream = fs.createWriteStream(proc.log);
    child.stdout.pipe(logStream);
    child.stderr.pipe(logStream);
    if (opts.verbose) {
      child.stdout.pipe(process.stdout);
      child.stderr.pipe(process.stderr);
    }
    proc.lines = readline.createInterface({ input: child.stdout });
    child.on("exit", () => {
      proc.exited = true;
      children.delete(proc);
    });
    children.add(proc);
    return proc;
  }
  function nextLine(proc, want, timeoutMs) {
    return new Promise((resolve) => {
      const onLine = (l) => {
        if (l !== want) return;
        done(true);
      };
      const done = (ok) => {
        proc.lines.off("line", onLine);
        clearTimeout(timer);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      proc.lines.on("line", onLine);
      proc.child.once("exit", () => done(false));
    });
  }
  async function stopChild(proc, signal) {
    if (proc.exited) return 0;
    const t0 = nowMs();
    const exited = new Promise((r) => proc.child.once("exit", r));
    try {
      process.kill(-proc.child.pid, signal);
    } catch {
      return 0;
    }
    if ((await Promise.race([exited, sleep(15_000).then(() => "timeout")])) === "timeout") {
      console.error(`bench: ${proc.name} did not stop within 15 s; killing it`);
      try {
        process.kill(-proc.child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    return nowMs() - t0;
  }
  async function failSetup(message, proc) {
    console.error(`bench: setup failed: ${message}`);
    if (proc && fs.existsSync(proc.log))
      console.error(`--- ${proc.log} ---\n${fs.readFileSync(proc.log, "utf8").split("\n").slice(-30).join("\n")}`);
    await cleanup();
    process.exit(1);
  }

  const latencyStats = (latencies) => {
    const s = [...latencies].sort((a, b) => a - b);
    const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN);
    return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) ?? NaN };
  };

  /**
   * One measured burst: `commitAll()` commits EVENTS events (returns when they are committed),
   * `commitTimes` maps webhook-id → commit time. CPU per delivery of the processes in `cpu`.
   */
  async function burst(label, commitAll, commitTimes, cpu, proc) {
    resetReceipts();
    commitTimes?.clear();
    const read = async () => Object.fromEntries(await Promise.all(Object.entries(cpu).map(async ([k, f]) => [k, await f()])));
    const cpu0 = await read();
    const t0 = nowMs();
    await commitAll();
    const committed = nowMs();
    await waitForUnique(EVENTS, 180_000, label).catch((err) => failSetup(err.message, proc));
    const last = Math.max(...seen.values());
    const cpu1 = await read();
    const cpuUs = Object.fromEntries(Object.keys(cpu).map((k) => [k, ((cpu1[k] - cpu0[k]) * 1e6) / EVENTS]));
    const lat = commitTimes ? latencyStats([...seen].map(([id, t]) => t - commitTimes.get(id))) : {};
    return {
      perSecond: EVENTS / ((last - t0) / 1000),
      seconds: (last - t0) / 1000,
      commitMs: committed - t0,
      duplicates: received - seen.size,
      cpuUs,
      ...lat,
    };
  }

  /** Commits one event at a time on schedule (each tick commits whatever is due by now). */
  async function steady(label, commitOne, commitTimes, proc) {
    resetReceipts();
    commitTimes.clear();
    const total = RATE * SECONDS;
    let done = 0;
    const start = nowMs();
    // Commits may overlap (a pg-boss insert is a round trip), as concurrent requests' would.
    const pending = new Set();
    // How long each commit call took (round trips and waiting on a lock included): when the
    // committer cannot keep up with the rate, this says why.
    const commitDurations = [];
    while (done < total) {
      const due = Math.min(total, Math.floor(((nowMs() - start) / 1000) * RATE));
      while (done < due) {
        const c0 = nowMs();
        const p = commitOne();
        done++;
        if (!p?.then) commitDurations.push(nowMs() - c0);
        else {
          pending.add(p);
          p.finally(() => {
            commitDurations.push(nowMs() - c0);
            pending.delete(p);
          });
          if (pending.size >= 32) await Promise.race(pending);
        }
      }
      await sleep(1);
    }
    await Promise.all(pending);
    const elapsed = (nowMs() - start) / 1000;
    await waitForUnique(total, 60_000, label).catch((err) => failSetup(err.message, proc));
    return {
      total,
      achievedRate: total / elapsed,
      commitP50: latencyStats(commitDurations).p50,
      duplicates: received - seen.size,
      ...latencyStats([...seen].map(([id, t]) => t - commitTimes.get(id))),
    };
  }

  const loadBefore = os.loadavg();
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO }).toString().trim();
    if (execFileSync("git", ["status", "--porcelain"], { cwd: REPO }).toString().trim()) commit += " (+ uncommitted changes)";
  } catch {
    /* not a checkout */
  }
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, node ${process.version}, commit ${commit}`,
  );
  console.log(
    `events per burst ${EVENTS}, warm-up ${WARMUP}, rounds ${ROUNDS}; pg-boss ${PGBOSS_WORKERS} workers × batch ${PGBOSS_BATCH} (${{ fetch: "fetch", undici: "undici dispatch" }[opts["pgboss-http"]] ?? "node:http keep-alive"}); ceiling ${CEILING_CONCURRENCY} concurrent`,
  );
  const selfCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };

  // Set up every sender first; the rounds then interleave them -----------------------------------
  const senders = [];

  if (runs("ceiling")) {
    const proc = spawnChild(
      process.execPath,
      [fileURLToPath(import.meta.url), "--child=ceiling", `--config=${JSON.stringify({ url, concurrency: CEILING_CONCURRENCY, secret })}`],
      {},
      "ceiling",
    );
    const run = async (mode, count) => {
      proc.child.stdin.write(`${mode} ${count}\n`);
      await nextLine(proc, "done", 120_000);
    };
    for (const mode of ["bare", "signed"]) {
      senders.push({
        name: `ceiling-${mode}`,
        label: `ceiling (${mode})`,
        proc,
        warmup: () => run(mode, WARMUP),
        burst: () =>
          burst(
            `ceiling ${mode}`,
            () => run(mode, EVENTS),
            null,
            { sender: () => cpuSeconds((_, g) => g === proc.child.pid), receiver: selfCpu },
            proc,
          ),
      });
    }
  }

  let sqlite = null;
  let worker = null;
  if (runs("ours")) {
    const { default: Database } = await import("better-sqlite3");
    const dbFile = path.join(RUN_DIR, "bench.db");
    const env = { DATABASE_URL: `file:${dbFile}` };
    try {
      execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "scripts/migrate.mjs"], {
        cwd: REPO,
        env: { ...process.env, ...env },
        stdio: ["ignore", "ignore", "inherit"],
      });
    } catch {
      await failSetup("scripts/migrate.mjs failed");
    }
    sqlite = new Database(dbFile, { timeout: 30_000 });
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    // Prisma stores DateTime on SQLite as ISO 8601 text with an explicit offset.
    const iso = (ms = Date.now()) => new Date(ms).toISOString().replace("Z", "+00:00");
    const subscriberId = randomUUID();
    sqlite
      .prepare(
        `INSERT INTO subscribers (id, name, event_types, filter, kind, config, secret, ordered, max_attempts, active, created_at, updated_at)
         VALUES (?, 'bench', 'sync.requested', NULL, 'webhook', ?, ?, 0, 8, 1, ?, ?)`,
      )
      .run(subscriberId, JSON.stringify({ url, timeout_ms: 15_000 }), secret, iso(), iso());
    const insertEvent = sqlite.prepare(
      `INSERT INTO events (type, payload, actor, trace_id, source, created_at) VALUES ('sync.requested', ?, 'bench', ?, 'bench', ?)`,
    );
    let seq = 0;
    const commitEvents = sqlite.transaction((count) => {
      const ids = [];
      for (let i = 0; i < count; i++) {
        ids.push(
          Number(
            insertEvent.run(JSON.stringify({ requested_at: `bench-${++seq}` }), randomUUID().replaceAll("-", ""), iso()).lastInsertRowid,
          ),
        );
      }
      return ids;
    });
    const commitTimes = new Map(); // webhook-id → commit time
    /** Commits `count` events in one transaction, like `mutate` writes event rows. */
    const commitN = (count) => {
      const ids = commitEvents(count);
      const t = nowMs();
      for (const id of ids) commitTimes.set(`${id}_${subscriberId}`, t);
    };
    const workerEnv = { ...env, PREROLL_PROCESS: "worker", NODE_ENV: "production", LOG_LEVEL: process.env.LOG_LEVEL ?? "info" };
    for (const kv of opts["worker-env"]) {
      const [k, ...v] = kv.split("=");
      workerEnv[k] = v.join("=");
    }
    worker = spawnWorker(workerEnv, "worker");
    const started = nowMs();
    while (!sqlite.prepare("SELECT 1 FROM worker_heartbeats LIMIT 1").get()) {
      if (worker.exited || nowMs() - started > 60_000) await failSetup("the worker did not start", worker);
      await sleep(50);
    }
    const commitAll = async () => {
      for (let done = 0; done < EVENTS; done += 1000) commitN(Math.min(1000, EVENTS - done));
    };
    const workerPid = worker.child.pid;
    senders.push({
      name: "ours",
      label: "ours",
      proc: worker,
      warmup: async () => {
        resetReceipts();
        commitN(WARMUP);
        await waitForUnique(WARMUP, 60_000, "warm-up (ours)").catch((err) => failSetup(err.message, worker));
      },
      burst: () =>
        burst(
          "ours",
          commitAll,
          commitTimes,
          { worker: () => cpuSeconds((_, g) => g === workerPid), "bench (receiver + commits)": selfCpu },
          worker,
        ),
      steady: () => steady("steady (ours)", () => commitN(1), commitTimes, worker),
    });
  }

  let boss = null;
  let bossProc = null;
  if (runs("pgboss")) {
    const { PgBoss } = await import("pg-boss");
    await ensurePgAdmin();
    try {
      scratchDb = `preroll_delivery_bench_${process.pid}`;
      await pgAdmin.query(`CREATE DATABASE ${scratchDb}`);
    } catch (err) {
      await failSetup(`PostgreSQL at ${opts["pg-url"]}: ${err.message}`);
    }
    const connectionString = Object.assign(new URL(opts["pg-url"]), { pathname: `/${scratchDb}` }).toString();
    boss = new PgBoss({ connectionString, max: 16, supervise: false, schedule: false });
    boss.on("error", (err) => console.error("pg-boss:", err.message));
    await boss.start();
    const queue = "bench-delivery";
    await boss.createQueue(queue, { notify: true });
    bossProc = spawnChild(
      process.execPath,
      [
        "--no-warnings",
        fileURLToPath(import.meta.url),
        "--child=pgboss",
        `--config=${JSON.stringify({ connectionString, queue, url, secret, workers: PGBOSS_WORKERS, batch: PGBOSS_BATCH, client: opts["pgboss-http"] })}`,
      ],
      {},
      "pgboss",
    );
    if (!(await nextLine(bossProc, "ready", 60_000))) await failSetup("the pg-boss worker did not start", bossProc);
    let n = 0;
    const commitTimes = new Map();
    const insert = async (count) => {
      const jobs = Array.from({ length: count }, () => ({ data: { n: ++n } }));
      await boss.insert(queue, jobs);
      const t = nowMs();
      for (const j of jobs) commitTimes.set(`${j.data.n}_pgboss`, t);
    };
    const bossPid = bossProc.child.pid;
    const bossDbCpu = pgBackendCpu(await samplerPool(), scratchDb);
    samplers.push(bossDbCpu);
    await bossDbCpu.start();
    senders.push({
      name: "pgboss",
      label: { fetch: "pg-boss (fetch)", undici: "pg-boss (undici)" }[opts["pgboss-http"]] ?? "pg-boss",
      proc: bossProc,
      warmup: async () => {
        resetReceipts();
        await insert(WARMUP);
        await waitForUnique(WARMUP, 60_000, "warm-up (pg-boss)").catch((err) => failSetup(err.message, bossProc));
      },
      burst: () =>
        burst(
          "pg-boss",
          async () => {
            for (let done = 0; done < EVENTS; done += 1000) await insert(Math.min(1000, EVENTS - done));
          },
          commitTimes,
          {
            handler: () => cpuSeconds((_, g) => g === bossPid),
            postgres: () => cpuSeconds((comm) => comm === "postgres"),
            "postgres (its database)": bossDbCpu.reader("all"),
            "bench (receiver + inserts)": selfCpu,
          },
          bossProc,
        ),
      steady: () => steady("steady (pg-boss)", () => insert(1), commitTimes, bossProc),
    });
  }

  // Ours on PostgreSQL: 1 and 2 worker processes, each configuration on its own scratch database.
  const pgWorkers = []; // { label, procs, pool, db }
  for (const workers of [1, 2]) {
    const name = `ours-pg${workers}`;
    if (!(runs(name) || runs("ours-pg"))) continue;
    const { default: pg } = await import("pg");
    const scratch = await createPgScratch(`pg${workers}`);
    // Like the app's connections: UTC sessions (created_at = now() is then UTC wall time). Commits
    // without waiting for the WAL flush, as this bench's SQLite writer does (synchronous = NORMAL
    // in WAL mode): the phases measure delivery, and a flush per commit held under the write lock
    // caps one-event commits at ~350/s here, below the steady phase's 500/s. What durable app
    // commits reach is the `mutate` phase's figure.
    const pool = new pg.Pool({
      connectionString: scratch.url,
      max: 8,
      options: "-c timezone=UTC -c synchronous_commit=off",
      application_name: "preroll-bench",
    });
    pgPools.push(pool);
    // An idle client whose backend was terminated emits 'error' on the pool: log, do not crash.
    pool.on("error", (err) => closing || console.error(`bench: ${name} pool: ${err.message}`));
    const subscriberId = randomUUID();
    await pool.query(
      `INSERT INTO subscribers (id, name, event_types, filter, kind, config, secret, ordered, max_attempts, active, created_at, updated_at)
       VALUES ($1, 'bench', 'sync.requested', NULL, 'webhook', $2::jsonb, $3, false, 8, true, now(), now())`,
      [subscriberId, JSON.stringify({ url, timeout_ms: 15_000 }), secret],
    );
    let seq = 0;
    const commitTimes = new Map();
    /**
     * One transaction as `mutate` (lib/db/mutate.ts) writes it on PostgreSQL: lock_timeout, the
     * write lock with the `preroll.events_write_lock` marker (so the events trigger neither waits
     * nor redraws ids), the event rows, then pg_notify with the last id, delivered on commit.
     * The rows go in one multi-row INSERT (mutate inserts them one by one through Prisma; a burst
     * measures delivery, not the inserts).
     */
    const commitN = async (count) => {
      const payloads = [];
      const traces = [];
      for (let i = 0; i < count; i++) {
        payloads.push(JSON.stringify({ requested_at: `bench-${++seq}` }));
        traces.push(randomUUID().replaceAll("-", ""));
      }
      const c = await pool.connect();
      let ids;
      try {
        await c.query("BEGIN");
        await c.query("SET LOCAL lock_timeout = '10000ms'");
        await c.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}), set_config('preroll.events_write_lock', 'held', true)`);
        const { rows } = await c.query(
          `INSERT INTO events (type, payload, actor, trace_id, source, created_at)
           SELECT 'sync.requested', p, 'bench', t, 'bench', now() FROM unnest($1::jsonb[], $2::text[]) AS u(p, t) RETURNING id`,
          [payloads, traces],
        );
        ids = rows.map((r) => r.id);
        await c.query(`SELECT pg_notify('preroll_changes', $1)`, [String(Math.max(...ids))]);
        await c.query("COMMIT");
      } catch (err) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
      const t = nowMs();
      for (const id of ids) commitTimes.set(`${id}_${subscriberId}`, t);
    };
    const workerEnv = {
      DATABASE_URL: scratch.url,
      PREROLL_PROCESS: "worker",
      NODE_ENV: "production",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    };
    for (const kv of opts["worker-env"]) {
      const [k, ...v] = kv.split("=");
      workerEnv[k] = v.join("=");
    }
    const procs = Array.from({ length: workers }, (_, i) => spawnWorker(workerEnv, `worker-pg${workers}-${i + 1}`));
    const started = nowMs();
    while (Number((await pool.query("SELECT count(*) AS n FROM worker_heartbeats")).rows[0].n) < workers) {
      const dead = procs.find((p) => p.exited);
      if (dead || nowMs() - started > 60_000) await failSetup(`the PostgreSQL worker did not start (${name})`, dead ?? procs[0]);
      await sleep(50);
    }
    const pgids = procs.map((p) => p.child.pid);
    const dbCpu = pgBackendCpu(await samplerPool(), scratch.db);
    samplers.push(dbCpu);
    await dbCpu.start();
    const label = `ours-pg ×${workers}`;
    pgWorkers.push({ label, procs, pool, db: scratch.db });
    senders.push({
      name,
      label,
      proc: procs[0],
      warmup: async () => {
        resetReceipts();
        for (let done = 0; done < WARMUP; done += 1000) await commitN(Math.min(1000, WARMUP - done));
        await waitForUnique(WARMUP, 60_000, `warm-up (${label})`).catch((err) => failSetup(err.message, procs[0]));
      },
      burst: () =>
        burst(
          label,
          async () => {
            for (let done = 0; done < EVENTS; done += 1000) await commitN(Math.min(1000, EVENTS - done));
          },
          commitTimes,
          {
            [workers > 1 ? "workers" : "worker"]: () => cpuSeconds((_, g) => pgids.includes(g)),
            "postgres (worker conns)": dbCpu.reader("worker"),
            "postgres (commit conns)": dbCpu.reader("commits"),
            "bench (receiver + commits)": selfCpu,
          },
          procs[0],
        ),
      steady: () => steady(`steady (${label})`, () => commitN(1), commitTimes, procs[0]),
    });
  }

  // Measure -------------------------------------------------------------------------------------
  for (const s of senders) if (WARMUP > 0) await s.warmup();
  const results = Object.fromEntries(senders.map((s) => [s.name, []]));
  if (PHASES.has("burst")) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of senders) {
        const r = await s.burst();
        results[s.name].push(r);
        const lat = Number.isFinite(r.p50) ? `  commit→receipt p50 ${fmt(r.p50)} ms p95 ${fmt(r.p95)} ms` : "";
        const cpu = Object.entries(r.cpuUs)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(", ");
        console.log(
          `round ${round}  ${s.label.padEnd(16)} ${fmt(r.perSecond).padStart(6)}/s  (${r.seconds.toFixed(2)} s)${lat}  duplicates ${r.duplicates}  CPU µs/delivery: ${cpu}`,
        );
      }
    }
  }
  const steadyResults = {};
  if (PHASES.has("steady")) {
    for (const s of senders) {
      if (!s.steady) continue;
      const r = (steadyResults[s.name] = await s.steady());
      console.log(
        `steady   ${s.label.padEnd(16)} ${r.total} events at ${r.achievedRate.toFixed(0)}/s, one per transaction (commit call p50 ${r.commitP50.toFixed(1)} ms): commit→receipt p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms`,
      );
    }
  }
  if (worker) {
    const stopMs = await stopChild(worker, "SIGTERM");
    const left = sqlite.prepare(`SELECT status, count(*) AS n FROM deliveries GROUP BY status`).all();
    console.log(
      `ours: worker stopped (SIGTERM) in ${Math.round(stopMs)} ms; deliveries by status: ${left.map((r) => `${r.status} ${r.n}`).join(", ")}`,
    );
    sqlite.close();
  }
  /** Transactions and rows written per delivery in a scratch database (pg_stat_database, whole run). */
  async function dbWork(db, deliveries) {
    const { rows } = await pgAdmin.query(
      `SELECT xact_commit + xact_rollback AS xacts, tup_inserted + tup_updated + tup_deleted AS written, tup_returned + tup_fetched AS read
         FROM pg_stat_database WHERE datname = $1`,
      [db],
    );
    const r = rows[0];
    const per = (n) => (Number(n) / deliveries).toFixed(1);
    // Where the rows read come from: the tables read most, sequential scans apart (a pool per db).
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: Object.assign(new URL(opts["pg-url"]), { pathname: `/${db}` }).toString() });
    let top = "";
    try {
      await c.connect();
      const t = await c.query(
        `SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan, coalesce(idx_tup_fetch, 0) AS idx_tup_fetch
           FROM pg_stat_user_tables ORDER BY seq_tup_read + coalesce(idx_tup_fetch, 0) DESC LIMIT 3`,
      );
      top = t.rows
        .map(
          (x) =>
            `${x.relname} (seq scans ${x.seq_scan}, ${per(x.seq_tup_read)} rows/delivery; index scans ${x.idx_scan}, ${per(x.idx_tup_fetch)} rows/delivery)`,
        )
        .join("; ");
    } catch {
      /* informational */
    } finally {
      await c.end().catch(() => undefined);
    }
    return r
      ? `per delivery over the run: ${per(r.xacts)} transactions, ${per(r.written)} rows written, ${per(r.read)} rows read; most read: ${top}`
      : "";
  }
  for (const w of pgWorkers) {
    const stopMs = await Promise.all(w.procs.map((p) => stopChild(p, "SIGTERM")));
    const { rows } = await w.pool.query(`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status ORDER BY status`);
    console.log(
      `${w.label}: worker${w.procs.length > 1 ? "s" : ""} stopped (SIGTERM) in ${stopMs.map((ms) => `${Math.round(ms)} ms`).join(", ")}; deliveries by status: ${rows.map((r) => `${r.status} ${r.n}`).join(", ")}`,
    );
    // Stats reach pg_stat_database when a backend is idle ≥ 1 s or exits (the workers' just did).
    await sleep(1100);
    console.log(
      `${w.label}: ${await dbWork(
        w.db,
        rows.reduce((a, r) => a + r.n, 0),
      )}`,
    );
  }
  if (bossProc) {
    await stopChild(bossProc, "SIGTERM");
    await sleep(1100);
    console.log(
      `pg-boss: ${await dbWork(scratchDb, results.pgboss.length * EVENTS + WARMUP + (steadyResults.pgboss?.total ?? 0))} (its own bookkeeping included)`,
    );
  }
  await boss?.stop({ graceful: false, timeout: 1000 }).catch(() => undefined);

  // Single-event mutate commits/s, after the senders stopped (nothing else of ours runs) ------------
  const mutateResults = [];
  if (runs("mutate")) {
    const concurrencies = opts["mutate-concurrency"]
      .split(",")
      .map((c) => Math.max(1, Math.floor(Number(c))))
      .filter(Number.isFinite);
    const sqliteUrl = `file:${path.join(RUN_DIR, "mutate.db")}`;
    migrateDb(sqliteUrl);
    const pgMutate = await createPgScratch("mutate");
    for (const concurrency of concurrencies) {
      for (const [engine, dbUrl] of [
        ["SQLite", sqliteUrl],
        ["PostgreSQL", pgMutate.url],
      ]) {
        let r;
        try {
          const out = execFileSync(
            path.join(REPO, "node_modules", ".bin", "tsx"),
            ["bench/mutate-commits.ts", `--count=${num("mutate-count", 1)}`, `--concurrency=${concurrency}`],
            {
              cwd: REPO,
              env: { ...process.env, DATABASE_URL: dbUrl, NODE_ENV: "production", LOG_LEVEL: "warn" },
              stdio: ["ignore", "pipe", "inherit"],
            },
          );
          r = JSON.parse(out.toString().trim().split("\n").at(-1));
        } catch (err) {
          await failSetup(`bench/mutate-commits.ts on ${engine}: ${err.message}`);
        }
        mutateResults.push({ engine, ...r });
        console.log(
          `mutate   ${engine.padEnd(10)} ${concurrency} caller${concurrency > 1 ? "s" : " "} ${fmt(r.perSecond).padStart(6)} commits/s  (${r.commits} single-event mutate calls)  per call p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`,
        );
      }
    }
  }

  // Summary -------------------------------------------------------------------------------------
  const loadAfter = os.loadavg();
  console.log("");
  console.log(
    `load average after: ${loadAfter.map((l) => l.toFixed(2)).join(" ")}${Math.max(loadBefore[0], loadAfter[0]) > 0.75 * os.cpus().length ? "  (the machine was busy: absolute figures are low, read the ratios)" : ""}`,
  );
  const per = (name) => median((results[name] ?? []).map((r) => r.perSecond));
  /** Median over rounds of the per-round ratio (both measured minutes apart at most). */
  const ratio = (a, b) => median((results[a] ?? []).map((r, i) => r.perSecond / results[b]?.[i]?.perSecond));
  const line = (label, value, extra = "") => console.log(`${label.padEnd(28)} ${value}${extra}`);
  if (PHASES.has("burst")) {
    for (const s of senders) line(`${s.label} deliveries/s`, fmt(per(s.name)), ROUNDS > 1 ? "  (median)" : "");
    if (results.ours && results.pgboss) {
      const r = ratio("ours", "pgboss");
      line("ours / pg-boss", `${r.toFixed(2)}×`, `   target ≥ 2.00  ${r >= 2 ? "PASS" : "FAIL"}`);
    }
    if (results.ours && results["ceiling-bare"]) line("ours / ceiling (bare)", ratio("ours", "ceiling-bare").toFixed(2));
    if (results.ours && results["ceiling-signed"]) line("ours / ceiling (signed)", ratio("ours", "ceiling-signed").toFixed(2));
    if (results.pgboss && results["ceiling-bare"]) line("pg-boss / ceiling (bare)", ratio("pgboss", "ceiling-bare").toFixed(2));
  }
  if (steadyResults.ours) {
    const p95 = steadyResults.ours.p95;
    line(`ours steady p95 at ${RATE}/s`, `${p95.toFixed(1)} ms`, `   target < 50 ms  ${p95 < 50 ? "PASS" : "FAIL"}`);
  }
  // Issue [12]'s targets for ours on PostgreSQL: ≥ 1.5× pg-boss (same PostgreSQL, same receiver).
  for (const w of [1, 2]) {
    const name = `ours-pg${w}`;
    const label = `ours-pg ×${w}`;
    if (PHASES.has("burst") && results[name]) {
      if (results.pgboss) {
        const r = ratio(name, "pgboss");
        line(`${label} / pg-boss`, `${r.toFixed(2)}×`, `   target ≥ 1.50  ${r >= 1.5 ? "PASS" : "FAIL"}`);
      }
      if (results.ours) line(`${label} / ours (SQLite)`, ratio(name, "ours").toFixed(2));
      if (results["ceiling-signed"]) line(`${label} / ceiling (signed)`, ratio(name, "ceiling-signed").toFixed(2));
    }
    if (steadyResults[name]) {
      const p95 = steadyResults[name].p95;
      const behind = steadyResults[name].achievedRate < 0.95 * RATE;
      line(
        `${label} steady p95 at ${RATE}/s`,
        `${p95.toFixed(1)} ms`,
        `   target < 50 ms  ${p95 < 50 && !behind ? "PASS" : "FAIL"}${behind ? ` (commits reached only ${steadyResults[name].achievedRate.toFixed(0)}/s)` : ""}`,
      );
    }
  }
  for (const c of new Set(mutateResults.map((r) => r.concurrency))) {
    const get = (engine) => mutateResults.find((r) => r.engine === engine && r.concurrency === c)?.perSecond;
    line(`mutate PostgreSQL / SQLite (${c})`, (get("PostgreSQL") / get("SQLite")).toFixed(2), "   (informational)");
  }
  await cleanup();
  process.exit(0);
}

// Entry (last, so every declaration above is initialised) ---------------------------------------
if (opts.child) {
  const config = JSON.parse(opts.config);
  if (opts.child === "ceiling") await runCeilingChild(config);
  else if (opts.child === "pgboss") await runPgBossChild(config);
  else throw new Error(`unknown child ${opts.child}`);
} else if (opts.help) {
  console.log(HELP);
} else {
  await main();
}
