import { dropNetworkNoise } from "@/lib/observability/sentry-filter";

/**
 * Sentry options shared by every runtime (web server, edge, browser, worker): SPEC §7 — enabled
 * only by a DSN, 5 % of traces, no PII, network noise dropped, tagged with the release (git SHA)
 * and environment. Returns null without a DSN: callers then do not call `init` at all, so nothing
 * is sent and no instrumentation is installed. Browser-safe (no Node imports); values are read
 * leniently because the start-up config check (lib/config/env.ts) has already refused bad ones.
 */
export type SentryRuntime = "web" | "edge" | "browser" | "worker";

export interface SentrySettings {
  dsn: string | undefined;
  environment?: string;
  release?: string;
  tracesSampleRate?: string | number;
  profilesSampleRate?: string | number;
}

export const DEFAULT_SAMPLE_RATE = 0.05;

function rate(value: string | number | undefined): number {
  const n = typeof value === "number" ? value : value?.trim() ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : DEFAULT_SAMPLE_RATE;
}

export function sentryOptions(runtime: SentryRuntime, settings: SentrySettings) {
  const dsn = settings.dsn?.trim();
  if (!dsn) return null;
  return {
    dsn,
    environment: settings.environment?.trim() || (process.env.NODE_ENV === "production" ? "production" : "development"),
    // Left out when unknown: @sentry/nextjs then uses the release baked in at build time.
    ...(settings.release?.trim() ? { release: settings.release.trim() } : {}),
    tracesSampleRate: rate(settings.tracesSampleRate),
    sendDefaultPii: false,
    beforeSend: dropNetworkNoise,
    initialScope: { tags: { process: runtime } },
  };
}

/** Profiles (browser only; see instrumentation-client.ts): share of sessions that are profiled. */
export function profilesSampleRate(settings: SentrySettings): number {
  return rate(settings.profilesSampleRate);
}
