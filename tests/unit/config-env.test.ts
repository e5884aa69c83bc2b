import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { config, ConfigError, ensureLocalSecret, loadConfig, resetConfig, watchEnvironment } from "@/lib/config/env";

/** The start-up configuration gate (SPEC §7): every variable checked, one clear line when one is wrong. */

const ROOT = path.resolve(__dirname, "../..");
const SECRET = "s".repeat(40);

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("loadConfig", () => {
  it("names the variable and what is wrong with it, in one line", () => {
    expect(problem({ BACKUP_ENCRYPTION_KEY: "too-short" })).toBe("Config error: BACKUP_ENCRYPTION_KEY must be at least 32 characters");
    expect(problem({ PORT: "eighty" })).toBe("Config error: PORT must be a number");
    expect(problem({ TRUST_PROXY: "yes" })).toBe("Config error: TRUST_PROXY must be true or false");
    expect(problem({ DATABASE_URL: "mysql://db/preroll" })).toMatch(/^Config error: DATABASE_URL must be a file: path/);
    expect(problem({ API_RATE_LIMIT_PER_MIN: "-1" })).toBe("Config error: API_RATE_LIMIT_PER_MIN must be at least 0");
    expect(problem({ SENTRY_DSN: "not a url" })).toMatch(/^Config error: SENTRY_DSN must be a Sentry DSN/);
  });

  it("reports every bad variable at once, still on one line", () => {
    const message = problem({ PORT: "0", LOG_LEVEL: "loud", REDIS_URL: "http://cache:6379" });
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain("PORT must be at least 1");
    expect(message).toContain("LOG_LEVEL must be one of");
    expect(message).toContain("REDIS_URL must be a redis:// or rediss:// URL");
  });

  it("requires a session secret in production, and accepts SECRET_KEY for it", () => {
    expect(problem({ NODE_ENV: "production" })).toBe(
      "Config error: NEXTAUTH_SECRET (or SECRET_KEY) is required in production (openssl rand -hex 32)",
    );
    expect(loadConfig({ NODE_ENV: "production", SECRET_KEY: SECRET }).NEXTAUTH_SECRET).toBe(SECRET);
    expect(loadConfig({ NODE_ENV: "production" }, { needsSessionSecret: false }).NEXTAUTH_SECRET).toBeUndefined();
    expect(problem({ NODE_ENV: "production", NEXTAUTH_SECRET: "short" })).toMatch(/NEXTAUTH_SECRET must be at least 32 characters/);
  });

  it("requires REDIS_URL with more than one instance (INSTANCES), in one line", () => {
    expect(loadConfig({}).INSTANCES).toBe(1);
    expect(problem({ INSTANCES: "3" })).toBe(
      "Config error: REDIS_URL is required when INSTANCES is 3 (rate limits and SSE are shared through Redis)",
    );
    expect(loadConfig({ INSTANCES: "3", REDIS_URL: "redis://127.0.0.1:6379" }).INSTANCES).toBe(3);
    expect(problem({ INSTANCES: "0" })).toBe("Config error: INSTANCES must be at least 1");
  });

  it("fills defaults and treats empty values as unset", () => {
    const config = loadConfig({ PORT: "", APP_URL: "", LOG_PRETTY: "", TRUST_PROXY: "" });
    expect(config).toMatchObject({
      PORT: 3000,
      API_RATE_LIMIT_PER_MIN: 6000,
      TRUST_PROXY: false,
      SEED_DEMO: true,
      DATABASE_URL: "file:./data/preroll.db",
      SENTRY_TRACES_SAMPLE_RATE: 0.05,
      BACKUP_INTERVAL_HOURS: 6,
      BACKUP_KEEP: 8,
      EVENT_POLLING_INTERVAL: 60,
      // Defaults that used to be repeated (and drifted) in the modules reading them.
      DELIVERY_LEASE_MS: 30_000,
      DELIVERY_IDLE_POLL_MS: 10,
      DELIVERY_CONCURRENCY: 128,
      DELIVERY_BATCH: 100,
      DELIVERY_RETENTION_DAYS: 30,
      EVENTS_SSE_HEARTBEAT_MS: 15_000,
      EVENTS_SSE_POLL_MS: 1_000,
      EVENTS_SSE_MAX_MS: 30 * 60_000,
      EVENTS_SSE_STALL_MS: 60_000,
      EVENTS_SSE_PAGE_SIZE: 500,
      EVENTS_SSE_RETRY_MS: 3_000,
      IDEMPOTENCY_TTL_HOURS: 168,
      HEALTH_MIN_FREE_DISK_MB: 200,
      BCRYPT_COST: 12,
      INBOX_DIR: "data/inbox",
      INBOX_STABILITY_MS: 2_000,
      INBOX_USE_POLLING: false,
      SESSION_RATE_LIMIT_PER_MIN: 3000,
      INSTANCES: 1,
    });
    expect(config.APP_URL).toBeUndefined();
    expect(config.LOG_LEVEL).toBeUndefined(); // lib/log.ts: info, or warn under NODE_ENV=test
  });

  it("accepts the documented .env.example as it ships", () => {
    const file = fs.readFileSync(path.join(ROOT, ".env.example"), "utf8");
    const env: Record<string, string> = {};
    for (const line of file.split("\n")) {
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
    expect(Object.keys(env).length).toBeGreaterThan(10);
    expect(() => loadConfig(env)).not.toThrow();
  });
});

describe("config(): the parsed configuration modules read", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    resetConfig();
  });

  it("is parsed once and kept (a server), until resetConfig()", () => {
    watchEnvironment(false);
    try {
      const first = config();
      process.env.DELIVERY_LEASE_MS = "45000";
      expect(config()).toBe(first);
      expect(config().DELIVERY_LEASE_MS).toBe(30_000);
      resetConfig();
      expect(config().DELIVERY_LEASE_MS).toBe(45_000);
    } finally {
      watchEnvironment(true);
    }
  });

  it("is parsed again when a variable changed, while watching (tests)", () => {
    const first = config();
    expect(config()).toBe(first);
    process.env.DELIVERY_LEASE_MS = "45000";
    expect(config().DELIVERY_LEASE_MS).toBe(45_000);
    delete process.env.DELIVERY_LEASE_MS;
    expect(config().DELIVERY_LEASE_MS).toBe(30_000);
    const again = config();
    resetConfig();
    expect(config()).not.toBe(again);
    expect(config()).toEqual(again);
  });

  it("throws the start gate's one-line error for a bad value", () => {
    process.env.DELIVERY_LEASE_MS = "soon";
    expect(() => config()).toThrow("Config error: DELIVERY_LEASE_MS must be a number");
  });
});

describe("a process with a bad configuration", () => {
  it("stops at once with exactly one line and no stack (the worker's boot module)", () => {
    const res = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "lib/observability/boot-worker.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: "test", BACKUP_ENCRYPTION_KEY: "short", DATABASE_URL: "file:/nonexistent/never-opened.db" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe("Config error: BACKUP_ENCRYPTION_KEY must be at least 32 characters");
    expect(res.stdout.trim()).toBe("");
  });
});

describe("ensureLocalSecret", () => {
  it("generates a secret once for local use and keeps it; never in production", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-secret-"));
    try {
      const first: Record<string, string | undefined> = { NODE_ENV: "development" };
      ensureLocalSecret(first, root);
      expect(first.NEXTAUTH_SECRET).toMatch(/^[0-9a-f]{64}$/);
      const second: Record<string, string | undefined> = { NODE_ENV: "development" };
      ensureLocalSecret(second, root);
      expect(second.NEXTAUTH_SECRET).toBe(first.NEXTAUTH_SECRET);

      const prodRoot = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-secret-prod-"));
      const prod: Record<string, string | undefined> = { NODE_ENV: "production" };
      ensureLocalSecret(prod, prodRoot);
      expect(prod.NEXTAUTH_SECRET).toBeUndefined();
      expect(fs.existsSync(path.join(prodRoot, "data"))).toBe(false);
      fs.rmSync(prodRoot, { recursive: true, force: true });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
