/**
 * Sentry in the Edge runtime (middleware / edge routes, should the app grow any), loaded by
 * instrumentation.ts `register()`. Same rules as the server: nothing without SENTRY_DSN.
 */
import * as Sentry from "@sentry/nextjs";
import { sentryOptions } from "@/lib/observability/sentry-options";

const options = sentryOptions("edge", {
  dsn: process.env.SENTRY_DSN,
  environment: process.env.SENTRY_ENVIRONMENT,
  release: process.env.SENTRY_RELEASE,
  tracesSampleRate: process.env.SENTRY_TRACES_SAMPLE_RATE,
});
if (options) Sentry.init(options);
