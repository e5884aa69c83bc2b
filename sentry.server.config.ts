/**
 * Sentry in the Next.js server (Node runtime), loaded by instrumentation.ts `register()`.
 * Starts only with SENTRY_DSN (read at run time, so it can be switched on or off without a
 * rebuild); the rules are in lib/observability/sentry-options.ts. The release is SENTRY_RELEASE
 * (scripts/start.mjs sets the git SHA) or, without it, the one baked in by next.config.ts.
 */
import * as Sentry from "@sentry/nextjs";
import { sentryOptions } from "@/lib/observability/sentry-options";

const options = sentryOptions("web", {
  dsn: process.env.SENTRY_DSN,
  environment: process.env.SENTRY_ENVIRONMENT,
  release: process.env.SENTRY_RELEASE,
  tracesSampleRate: process.env.SENTRY_TRACES_SAMPLE_RATE,
});
if (options) Sentry.init(options);
