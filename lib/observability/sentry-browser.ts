/**
 * The browser Sentry SDK, started late: instrumentation-client.ts imports this module dynamically
 * once the page is interactive, and only in builds with a DSN — so the SDK is a separate chunk
 * that pages never wait for, and builds without SENTRY_DSN contain no Sentry code at all.
 *
 * Options as before (lib/observability/sentry-options.ts): 5 % of page loads/navigations traced,
 * 5 % of sessions profiled with the browser's JS Self-Profiling API (Chromium; next.config.ts sends
 * the `Document-Policy: js-profiling` header it needs), no PII, network noise dropped.
 */
import * as Sentry from "@sentry/nextjs";
import { profilesSampleRate, sentryOptions } from "@/lib/observability/sentry-options";

export type RouterTransitionHook = (href: string, navigationType: string) => void;

/**
 * Starts the SDK (once) and reports the errors the page had before it was loaded. Returns the
 * `onRouterTransitionStart` target, or undefined when there is no DSN after all.
 */
export function startBrowserSentry(earlyErrors: readonly unknown[] = []): RouterTransitionHook | undefined {
  const settings = {
    dsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
    environment: process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT,
    tracesSampleRate: process.env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
    profilesSampleRate: process.env.NEXT_PUBLIC_SENTRY_PROFILES_SAMPLE_RATE,
  };
  const options = sentryOptions("browser", settings);
  if (!options) return undefined;
  if (!Sentry.getClient()) {
    Sentry.init({
      ...options,
      integrations: [Sentry.browserTracingIntegration(), Sentry.browserProfilingIntegration()],
      profileSessionSampleRate: profilesSampleRate(settings),
      profileLifecycle: "trace",
    });
    // Uncaught before the SDK was there (its own global handlers take over from here); they go
    // through the same beforeSend, so network noise is still dropped.
    for (const error of earlyErrors) {
      Sentry.captureException(error, { tags: { captured: "before-sdk-loaded" } });
    }
  }
  return Sentry.captureRouterTransitionStart;
}
