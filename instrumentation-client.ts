/**
 * Sentry in the browser (Next.js loads this file before the app's own code). Starts only when
 * the app was built with SENTRY_DSN set (next.config.ts exposes it as NEXT_PUBLIC_SENTRY_DSN;
 * scripts/start.mjs rebuilds when it changes). 5 % of page loads/navigations traced, 5 % of
 * sessions profiled with the browser's JS Self-Profiling API (Chromium; next.config.ts sends the
 * `Document-Policy: js-profiling` header it needs), no PII, network noise dropped.
 */
import * as Sentry from "@sentry/nextjs";
import { profilesSampleRate, sentryOptions } from "@/lib/observability/sentry-options";

const settings = {
  dsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
  environment: process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT,
  tracesSampleRate: process.env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
  profilesSampleRate: process.env.NEXT_PUBLIC_SENTRY_PROFILES_SAMPLE_RATE,
};
const options = sentryOptions("browser", settings);
if (options) {
  Sentry.init({
    ...options,
    integrations: [Sentry.browserTracingIntegration(), Sentry.browserProfilingIntegration()],
    profileSessionSampleRate: profilesSampleRate(settings),
    profileLifecycle: "trace",
  });
}

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
