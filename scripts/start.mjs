#!/usr/bin/env node
/**
 * `npm start`: everything a fresh machine needs, in order —
 *   1. configuration from the environment (and .env when present); a NEXTAUTH_SECRET (or its alias
 *      SECRET_KEY) is generated and kept in data/ for local use, but required when NODE_ENV=production
 *      is set explicitly; every variable is then checked (lib/config/env.ts) — a bad one stops here
 *      with one line; the Sentry release is pinned to the git SHA for web and worker alike;
 *   2. the port must be free, and pending migrations (scripts/migrate.mjs) are applied only when no
 *      other process has the database open (scripts/preflight.mjs) — otherwise one line, exit 1;
 *   3. bootstrap: default settings, the first admin, demo data on first run (scripts/bootstrap.ts);
 *   4. `next build` when the sources changed since the last build;
 *   5. the web server (next start) and the worker, supervised together.
 * Flags: --web-only, --worker-only, --no-build, --no-migrate (instances started after a release
 * step ran `npm run db:migrate`: nothing is applied, and a database with migrations pending is
 * refused with one line — README "Scaling out").
 */
import { spawn, spawnSync } from "node:child_process";
import { tsImport } from "tsx/esm/api";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);
const args = new Set(process.argv.slice(2));
const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);

function fail(message) {
  console.error(`preroll-tracker: ${message}`);
  process.exit(1);
}

// 1. Configuration ------------------------------------------------------------------------------
if (fs.existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
const env = { ...process.env };
const explicitProduction = env.NODE_ENV === "production";
env.PORT ||= "3000";
env.HOSTNAME ||= "0.0.0.0";
env.DATABASE_URL ||= "file:./data/preroll.db";
if (env.DATABASE_URL.startsWith("file:")) {
  // One absolute path for every process, whatever its working directory.
  env.DATABASE_URL = `file:${path.resolve(ROOT, env.DATABASE_URL.slice(5))}`;
  fs.mkdirSync(path.dirname(env.DATABASE_URL.slice(5)), { recursive: true });
}
env.NEXTAUTH_URL ||= env.APP_URL || `http://localhost:${env.PORT}`;
env.NEXTAUTH_SECRET ||= env.SECRET_KEY; // the existing system's name for it
if (!env.NEXTAUTH_SECRET) {
  if (explicitProduction) fail("NEXTAUTH_SECRET is required in production (openssl rand -hex 32)");
  const dataDir = path.join(ROOT, "data");
  const secretFile = path.join(dataDir, ".nextauth-secret");
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
  env.NEXTAUTH_SECRET = fs.readFileSync(secretFile, "utf8").trim();
}
if (env.NEXTAUTH_SECRET.length < 32) fail("NEXTAUTH_SECRET must be at least 32 characters");
// What next.config.ts bakes into a build besides the sources: browser Sentry settings, HSTS.
let buildEnvFingerprint = "";
{
  const { loadConfig, ConfigError } = await tsImport("../lib/config/env.ts", import.meta.url);
  try {
    loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message); // "Config error: NAME what is wrong", one line
    process.exit(1);
  }
  if (env.SENTRY_DSN?.trim() && !env.SENTRY_RELEASE?.trim()) {
    const { resolveRelease } = await tsImport("../lib/observability/release.ts", import.meta.url);
    const release = resolveRelease(env, ROOT);
    if (release) env.SENTRY_RELEASE = release;
  }
  const { hstsEnabled } = await tsImport("../lib/config/security-headers.ts", import.meta.url);
  const sentry = ["SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_TRACES_SAMPLE_RATE", "SENTRY_PROFILES_SAMPLE_RATE"].map(
    (k) => env[k]?.trim() ?? "",
  );
  if (sentry[0]) sentry.push(env.SENTRY_RELEASE ?? "");
  buildEnvFingerprint = JSON.stringify({ sentry, hsts: hstsEnabled({ ...env, NODE_ENV: "production" }) });
}

function run(command, argv, options = {}) {
  const res = spawnSync(command, argv, { cwd: ROOT, env, stdio: "inherit", ...options });
  if (res.status !== 0) fail(`${path.basename(command)} ${argv.join(" ")} failed (exit ${res.status ?? res.signal})`);
  return res;
}

// 2. Already running? Migrations -----------------------------------------------------------------
// Starting twice (an upgrade with the old service still up, a second terminal) ends here with one
// line, not in the schema engine with a stack (scripts/preflight.mjs).
const preflight = await import("./preflight.mjs");
if (!args.has("--worker-only")) {
  const problem = await preflight.portProblem(env.PORT, env.HOSTNAME);
  if (problem) fail(problem);
}
const sqliteFile = env.DATABASE_URL.startsWith("file:") ? env.DATABASE_URL.slice(5).replace(/\?.*$/, "") : null;
const migrationsDir = path.join(ROOT, "prisma", "migrations");
if (args.has("--no-migrate")) {
  // Several instances must not race the schema engine: a release step migrated, these only check.
  const problem = await notMigrated();
  if (problem) fail(problem);
  console.log("migrate: skipped (--no-migrate); database up to date");
} else {
  let pending = sqliteFile ? preflight.pendingMigrations(sqliteFile, migrationsDir) : null;
  if (pending?.length !== 0 && sqliteFile && (await preflight.databaseInUse(sqliteFile))) {
    // The process holding it may just have applied them (`npm run web` and `npm run worker` started together).
    pending = preflight.pendingMigrations(sqliteFile, migrationsDir);
    if (pending?.length !== 0) fail(preflight.inUseMessage(sqliteFile, pending));
  }
  if (pending?.length === 0) {
    console.log("migrate: database up to date"); // nothing to apply: other processes on it may stay
  } else {
    const { migrate } = await import("./migrate.mjs");
    try {
      await migrate({ databaseUrl: env.DATABASE_URL, log: (line) => console.log(`migrate: ${line}`) });
    } catch (err) {
      if (preflight.isLockedError(err)) fail(preflight.inUseMessage(sqliteFile ?? env.DATABASE_URL, pending));
      // The engine's message carries a WebAssembly backtrace: its first line says what failed.
      const message = String(err instanceof Error ? err.message : err);
      fail(`database migration failed: ${env.MIGRATE_DEBUG ? message : message.split("\n")[0]}`);
    }
  }
}

/** --no-migrate: one line when the database lacks shipped migrations (or cannot be read), else null. */
async function notMigrated() {
  const m = await tsImport("../lib/observability/migrations.ts", import.meta.url);
  let pending;
  if (sqliteFile) {
    pending = preflight.pendingMigrations(sqliteFile, migrationsDir); // null: no database or table yet
  } else {
    const shipped = (await m.shippedMigrations(m.migrationsDirFor(env.DATABASE_URL, ROOT))) ?? [];
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      const table = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
      const applied = table.rows[0].present ? (await client.query(m.APPLIED_MIGRATIONS_SQL)).rows : null;
      pending =
        applied &&
        m.pendingOf(
          shipped,
          applied.map((r) => r.migration_name),
        );
    } catch (err) {
      return `cannot read the database's migrations: ${String(err?.message ?? err).split("\n")[0]}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return pending?.length === 0 ? null : m.notMigratedMessage(pending);
}

// 3. Bootstrap ----------------------------------------------------------------------------------
let boot = { admin_created: false };
if (!args.has("--worker-only")) {
  const res = run(bin("tsx"), ["scripts/bootstrap.ts"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = res.stdout.toString().trim().split("\n");
  try {
    boot = JSON.parse(lines.at(-1));
  } catch {
    fail(`bootstrap printed something unexpected: ${lines.at(-1)}`);
  }
}

// 4. Build when needed --------------------------------------------------------------------------
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
  "instrumentation.ts",
  "instrumentation-client.ts",
  "sentry.server.config.ts",
  "sentry.edge.config.ts",
];
function sourceHash() {
  const hash = createHash("sha256");
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      if (p.endsWith(path.join("lib", "generated"))) return;
      for (const entry of fs.readdirSync(p).sort()) walk(path.join(p, entry));
    } else if (p !== path.join(ROOT, "public", "sw.js")) {
      // public/sw.js is the build's own output (the service worker), not a source.
      hash.update(path.relative(ROOT, p)).update(fs.readFileSync(p));
    }
  };
  BUILD_INPUTS.forEach((p) => walk(path.join(ROOT, p)));
  hash.update(`\0env:${buildEnvFingerprint}`);
  return hash.digest("hex");
}
if (!args.has("--worker-only") && !args.has("--no-build")) {
  const marker = path.join(ROOT, ".next", "source-hash");
  const current = sourceHash();
  const built = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === current;
  if (!built) {
    console.log("Building the web app (first start or changed sources)…");
    // webpack, not Turbopack: the service worker is built by workbox-webpack-plugin (next.config.ts).
    run(bin("next"), ["build", "--webpack"], { env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } });
    run(process.execPath, [path.join(ROOT, "scripts", "check-precache.mjs")], { env });
    fs.writeFileSync(marker, current);
  }
}

// 5. Serve --------------------------------------------------------------------------------------
const children = [];
function start(name, command, argv, extraEnv = {}) {
  const child = spawn(command, argv, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`preroll-tracker: ${name} exited (${signal ?? code}); stopping`);
    shutdown(code || 1);
  });
  children.push(child);
}
let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  // The worker drains in-flight deliveries and a running job for up to ~10 s (worker/index.ts).
  setTimeout(() => process.exit(code), 15_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on("exit", r))))).then(() => process.exit(code));
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

if (!args.has("--worker-only")) {
  start("web", bin("next"), ["start", "-p", env.PORT, "-H", env.HOSTNAME], { NEXT_TELEMETRY_DISABLED: "1", PREROLL_PROCESS: "web" });
}
if (!args.has("--web-only")) start("worker", bin("tsx"), ["worker/index.ts"], { PREROLL_PROCESS: "worker" });

if (!args.has("--worker-only")) {
  const url = env.APP_URL || `http://localhost:${env.PORT}`;
  const lines = [``, `  PreRoll Tracker is starting on ${url}`];
  if (boot.admin_created && boot.generated) {
    lines.push(`  First admin created — username: ${boot.username}  password: ${boot.password}`);
    lines.push(`  This password is shown once. Change it after signing in, and generate a recovery key.`);
  } else if (boot.admin_created) {
    lines.push(`  First admin created from ADMIN_USERNAME/ADMIN_PASSWORD — username: ${boot.username}`);
  } else {
    lines.push(`  Sign in with your existing account (forgot it? /forgot-password or npm run setup).`);
  }
  if (boot.seeded) lines.push(`  Demo data loaded (SEED_DEMO=false skips it on a fresh database).`);
  console.log(`${lines.join("\n")}\n`);
}
