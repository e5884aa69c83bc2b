import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Every environment variable the app, the worker and the scripts read, with its default and its
 * rule (SPEC §7: configuration by environment, documented in `.env.example`). Processes check it
 * at start — scripts/start.mjs, the web server (instrumentation.ts) and the worker — and a bad or
 * missing value stops them with one line, e.g.
 *   Config error: BACKUP_ENCRYPTION_KEY must be at least 32 characters
 *
 * Empty values count as unset (`.env.example` lists most variables with no value). Code in lib/,
 * worker/, app/ and components/ reads the parsed values through `config()` — one default per
 * variable, here — and never `process.env` (tests/unit/no-process-env.test.ts). Left reading the
 * environment directly, on purpose:
 * - `NEXT_PUBLIC_*` and `NODE_ENV` in browser code (lib/observability/sentry-browser.ts and
 *   sentry-options.ts, lib/client/pwa/register-service-worker.ts): Next inlines them at build time,
 *   and this module (node:fs) cannot be bundled for the browser or the edge runtime;
 * - `NEXT_RUNTIME` / `NEXT_PHASE` checks (instrumentation.ts): Next's own, not configuration;
 * - what runs before the app or at build time: next.config.ts, sentry.*.config.ts,
 *   prisma.config.ts, playwright.config.ts, bench/, scripts/ (start.mjs checks the environment
 *   with `loadConfig` itself), and the helpers they share that take the environment as an argument
 *   (lib/config/security-headers.ts, lib/observability/release.ts);
 * - this file: `loadConfigOrExit` hands next-auth its resolved secret through `process.env`.
 * No `@/` imports here: scripts/start.mjs loads this file through tsx's `tsImport`.
 */

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const text = () => z.preprocess(blank, z.string().optional());

const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    blank,
    z.coerce
      .number("must be a number")
      .int("must be a whole number")
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

const decimal = (fallback: number, min: number, max: number, minMessage = `must be at least ${min}`) =>
  z.preprocess(blank, z.coerce.number("must be a number").min(min, minMessage).max(max, `must be at most ${max}`).default(fallback));

/** Only the spellings the reading code understands: a typo must not silently mean "false". */
const flag = (fallback: boolean, spellings: readonly string[] = ["true", "false"]) =>
  z.preprocess(
    (v) => (typeof blank(v) === "string" ? String(v).trim().toLowerCase() : blank(v)),
    z
      .enum(spellings as [string, ...string[]], `must be ${spellings.join(" or ")}`)
      .optional()
      .transform((v) => (v === undefined ? fallback : v === "true" || v === "1")),
  );

const url = (protocols: readonly string[], message: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, message)
      .optional(),
  );

const secret = () => z.preprocess(blank, z.string().min(32, "must be at least 32 characters (openssl rand -hex 32)").optional());

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const envSchema = z
  .object({
    NODE_ENV: text(),

    // Server
    PORT: int(3000, 1, 65_535),
    HOSTNAME: z.preprocess(blank, z.string().default("0.0.0.0")),
    APP_URL: url(["http:", "https:"], "must be an http(s) URL, e.g. https://tracker.example.com"),
    NEXTAUTH_URL: url(["http:", "https:"], "must be an http(s) URL, e.g. https://tracker.example.com"),
    TRUST_PROXY: flag(false),
    COOKIE_SECURE: z.preprocess(blank, z.enum(["true", "false"], "must be true or false").optional()),
    /** HSTS header: unset = on in production when the app is served over https. */
    HSTS: z.preprocess(blank, z.enum(["true", "false"], "must be true or false").optional()),

    // Secrets. SECRET_KEY (the existing system's name) is accepted for NEXTAUTH_SECRET.
    NEXTAUTH_SECRET: secret(),
    SECRET_KEY: secret(),
    BCRYPT_COST: int(12, 4, 20),

    // First admin, demo data
    ADMIN_USERNAME: z.preprocess(blank, z.string().max(64, "must be at most 64 characters").default("admin")),
    ADMIN_PASSWORD: z.preprocess(blank, z.string().min(6, "must be at least 6 characters").optional()),
    SEED_DEMO: flag(true),

    // Database, Redis
    DATABASE_URL: z.preprocess(
      blank,
      z
        .string()
        .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: path (file:./data/preroll.db) or a postgresql:// URL")
        .default("file:./data/preroll.db"),
    ),
    SHADOW_DATABASE_URL: url(["postgres:", "postgresql:"], "must be a postgresql:// URL"),
    TEST_POSTGRES_URL: url(["postgres:", "postgresql:"], "must be a postgresql:// URL"),
    REDIS_URL: url(["redis:", "rediss:"], "must be a redis:// or rediss:// URL"),
    REDIS_EVENTS_CHANNEL: text(),
    /**
     * How many app instances (web processes, each with its own worker or not) share this database.
     * Above 1, REDIS_URL is required (shared rate limits, SSE fan-out) and each process's in-memory
     * insurance limiter keeps 1/INSTANCES of a budget (lib/http/rate-limit.ts).
     */
    INSTANCES: int(1, 1, 1_000),

    // Logs
    /** Unset: info (warn under NODE_ENV=test); lib/log.ts. */
    LOG_LEVEL: z.preprocess(blank, z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`).optional()),
    /** Unset: pretty in development (`npm run dev`), JSON otherwise. */
    LOG_PRETTY: z.preprocess(blank, z.enum(["1", "0", "true", "false"], "must be 1 or 0").optional()),

    // Sentry (nothing is sent without a DSN)
    SENTRY_DSN: url(["http:", "https:"], "must be a Sentry DSN, e.g. https://key@o0.ingest.sentry.io/0"),
    SENTRY_ENVIRONMENT: text(),
    SENTRY_RELEASE: text(),
    SENTRY_TRACES_SAMPLE_RATE: decimal(0.05, 0, 1),
    SENTRY_PROFILES_SAMPLE_RATE: decimal(0.05, 0, 1),
    SENTRY_AUTH_TOKEN: text(),
    SENTRY_ORG: text(),
    SENTRY_PROJECT: text(),

    // Rate limits, health
    /**
     * Per API key. ApexAPI polls apex-calculate for every active package every 5 s (EXISTING-SYSTEM
     * §1.6): 12 a minute per package, 3 600 for a facility with 300 packages, plus its last-updated
     * and /api/data polls. The old system had no limit; 6 000 (100/s) keeps that facility well clear
     * of a 429 and still stops a client stuck in a loop (tests/integration/rate-limit-polling.test.ts).
     */
    API_RATE_LIMIT_PER_MIN: int(6000, 0),
    /**
     * Per signed-in user, larger than a key's: a floor account is often shared by every tablet (each
     * polling several last-updated endpoints every 5 s), and they all count against one user.
     */
    SESSION_RATE_LIMIT_PER_MIN: int(3000, 0),
    /** Hours an Idempotency-Key is remembered: longer than any tablet stays offline (lib/http/idempotency.ts). */
    IDEMPOTENCY_TTL_HOURS: int(168, 24, 24 * 365),
    HEALTH_MIN_FREE_DISK_MB: int(200, 0),

    // Backups (worker; lib/domain/backups/config.ts). Unset BACKUP_DIR: `backups` beside the database.
    BACKUP_DIR: text(),
    BACKUP_ENCRYPTION_KEY: z.preprocess(blank, z.string().min(32, "must be at least 32 characters").optional()),
    BACKUP_KEEP: int(8, 1),
    BACKUP_KEEP_DAILY: int(7, 0),
    BACKUP_INTERVAL_HOURS: decimal(6, 0.01, 24 * 365, "must be greater than 0"),
    BACKUP_UPLOAD_DIR: text(),

    // Event system (worker)
    INBOX_DIR: z.preprocess(blank, z.string().default("data/inbox")),
    INBOX_STABILITY_MS: int(2_000, 0),
    INBOX_USE_POLLING: flag(false),
    /** Seconds between inbound polls for a source created without its own interval (lib/events/sources). */
    EVENT_POLLING_INTERVAL: int(60, 10, 7 * 24 * 3600),
    DELIVERY_LEASE_MS: int(30_000, 1_000),
    DELIVERY_CONCURRENCY: int(128, 1, 10_000),
    DELIVERY_BATCH: int(100, 1, 10_000),
    DELIVERY_IDLE_POLL_MS: int(10, 1, 60_000),
    DELIVERY_RETENTION_DAYS: int(30, 1),
    EVENTS_SSE_HEARTBEAT_MS: int(15_000, 1),
    EVENTS_SSE_POLL_MS: int(1_000, 1),
    EVENTS_SSE_MAX_MS: int(30 * 60_000, 1),
    EVENTS_SSE_STALL_MS: int(60_000, 1),
    EVENTS_SSE_PAGE_SIZE: int(500, 1, 1_000),
    EVENTS_SSE_RETRY_MS: int(3_000, 1),

    // Pushover fallbacks (normally set on the settings page)
    PUSHOVER_API_URL: url(["http:", "https:"], "must be an http(s) URL"),
    PUSHOVER_USER_KEY: text(),
    PUSHOVER_APP_TOKEN: text(),

    // Process role and tooling
    PREROLL_PROCESS: text(),
    MIGRATE_DEBUG: text(),
  })
  .transform((env) => ({ ...env, NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? env.SECRET_KEY }));

export type Config = z.output<typeof envSchema>;
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Config error: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

export interface LoadConfigOptions {
  /** The web server and `npm start` need a session secret; a worker-only process does not. */
  needsSessionSecret?: boolean;
}

/** Parses `env`; throws a ConfigError whose message is the one line to print. */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  const config = result.data;
  if ((options.needsSessionSecret ?? true) && !config.NEXTAUTH_SECRET && env.NODE_ENV === "production") {
    throw new ConfigError(["NEXTAUTH_SECRET (or SECRET_KEY) is required in production (openssl rand -hex 32)"]);
  }
  // Without a shared store each instance would count its own budget: N times the limit, and SSE
  // clients of one instance would not hear writes made on another.
  if (config.INSTANCES > 1 && !config.REDIS_URL) {
    throw new ConfigError([`REDIS_URL is required when INSTANCES is ${config.INSTANCES} (rate limits and SSE are shared through Redis)`]);
  }
  return config;
}

const ENV_NAMES = Object.keys(envSchema.in.shape);
let parsed: { fingerprint: string; config: Config } | undefined;
let watching = false;

/**
 * This process's configuration, parsed from `process.env` on first use and memoised (the
 * environment does not change under a running server). A bad value throws the ConfigError the
 * start gate would have printed. `resetConfig()` makes the next call parse again.
 */
export function config(): Config {
  if (parsed && !watching) return parsed.config;
  // Watching (tests): ~20 µs a call to notice a changed variable, which a server need not pay.
  const fingerprint = watching ? ENV_NAMES.map((name) => process.env[name] ?? "\u0000").join("\u0001") : "";
  if (parsed?.fingerprint !== fingerprint) parsed = { fingerprint, config: loadConfig(process.env, { needsSessionSecret: false }) };
  return parsed.config;
}

/** Forgets the parsed configuration: the next `config()` reads the environment again. */
export function resetConfig(): void {
  parsed = undefined;
}

/**
 * For test runs (tests/helpers/setup-db.ts): parse again whenever one of the variables changed,
 * because tests set `process.env` between cases and expect the next call to see it.
 */
export function watchEnvironment(on = true): void {
  watching = on;
  parsed = undefined;
}

export interface LoadOrExitOptions extends LoadConfigOptions {
  /** Outside production, create (once) and use data/.nextauth-secret when no secret is set. */
  localSecret?: boolean;
  root?: string;
}

/**
 * For process start: on a bad value print the one line (no stack) and exit 1. Also puts the
 * resolved secret into `NEXTAUTH_SECRET`, which next-auth reads, when it came as SECRET_KEY or
 * was generated for local use.
 */
export function loadConfigOrExit(options: LoadOrExitOptions = {}): Config {
  try {
    if (options.localSecret) ensureLocalSecret(process.env, options.root);
    const config = loadConfig(process.env, options);
    if (config.NEXTAUTH_SECRET && !process.env.NEXTAUTH_SECRET) process.env.NEXTAUTH_SECRET = config.NEXTAUTH_SECRET;
    resetConfig(); // the environment may have just changed (the secret)
    return config;
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `Config error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

/**
 * Local use needs no secret in the environment: one is generated into data/.nextauth-secret and
 * kept (sessions survive restarts). Production must set its own (checked by loadConfig).
 */
export function ensureLocalSecret(env: Env, root = process.cwd()): void {
  if (blank(env.NEXTAUTH_SECRET) || blank(env.SECRET_KEY) || env.NODE_ENV === "production") return;
  const file = path.join(root, "data", ".nextauth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  env.NEXTAUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}
