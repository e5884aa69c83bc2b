import * as Sentry from "@sentry/node";
import { resolveRelease } from "@/lib/observability/release";
import { sentryOptions } from "@/lib/observability/sentry-options";
import { config } from "@/lib/config/env";

/**
 * Sentry for the worker process (plain Node, so @sentry/node — the SDK @sentry/nextjs itself is
 * built on, installed with it). Same rules as the web server: only with SENTRY_DSN, 5 % traces,
 * no PII, network noise dropped, release from the git SHA. No server-side profiling: that needs
 * @sentry/profiling-node's native module, which is not a dependency here.
 * Returns whether Sentry was started.
 */
export function initWorkerSentry(env = config()): boolean {
  const options = sentryOptions("worker", {
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT,
    release: env.SENTRY_DSN?.trim() ? resolveRelease({ SENTRY_RELEASE: env.SENTRY_RELEASE }) : undefined,
    tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE,
  });
  if (!options) return false;
  Sentry.init(options);
  return true;
}
