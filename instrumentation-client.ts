/**
 * Sentry in the browser (Next.js loads this file before the app's own code, so it stays tiny).
 *
 * Only builds made with SENTRY_DSN set have browser Sentry (next.config.ts bakes it in as
 * NEXT_PUBLIC_SENTRY_DSN; scripts/start.mjs rebuilds when it changes). Without it the branch below
 * is dead code the bundler drops: no Sentry code in any browser chunk. With it, the SDK
 * (lib/observability/sentry-browser.ts: same options as the server, 5 % traces, profiling, no PII,
 * noise dropped) is imported dynamically once the page is interactive — after the load event,
 * when the main thread is idle — so it never delays the first screen. Uncaught errors from before
 * that are kept (up to 20) and reported when it starts; navigations before it are not traced.
 */
import type { RouterTransitionHook } from "@/lib/observability/sentry-browser";

const MAX_EARLY_ERRORS = 20;
const IDLE_TIMEOUT_MS = 10_000;

let routerTransitionStart: RouterTransitionHook | undefined;

if (process.env.NEXT_PUBLIC_SENTRY_DSN) {
  const earlyErrors: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    if (earlyErrors.length < MAX_EARLY_ERRORS) earlyErrors.push(event.error ?? new Error(event.message));
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    if (earlyErrors.length < MAX_EARLY_ERRORS) earlyErrors.push(event.reason);
  };
  window.addEventListener("error", onError);
  window.addEventListener("unhandledrejection", onRejection);

  const load = () => {
    import("@/lib/observability/sentry-browser")
      .then(({ startBrowserSentry }) => {
        window.removeEventListener("error", onError);
        window.removeEventListener("unhandledrejection", onRejection);
        routerTransitionStart = startBrowserSentry(earlyErrors.splice(0));
      })
      .catch(() => {
        // The chunk could not be fetched (offline tablet, new deploy): run without Sentry.
      });
  };
  const whenIdle = () => {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(load, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(load, 1);
  };
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}

/** Next.js calls this before every client-side navigation: forwarded to Sentry once it is loaded. */
export function onRouterTransitionStart(href: string, navigationType: string): void {
  routerTransitionStart?.(href, navigationType);
}
