import * as Sentry from "@sentry/nextjs";

/**
 * Next.js calls `register()` once when a server instance starts, before it serves a request.
 * Each concern keeps its own clearly delimited block below.
 */
export async function register(): Promise<void> {
  // ── Configuration check + Sentry (issue [5], SPEC §7) ─────────────────────────────────────
  // A bad or missing setting stops the server with one line (lib/config/env.ts); outside
  // production a session secret is generated once into data/ when none is set (`npm run dev`).
  // Sentry starts only when SENTRY_DSN is set (sentry.*.config.ts).
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { loadConfigOrExit } = await import("./lib/config/env");
    loadConfigOrExit({ localSecret: true });
    await import("./sentry.server.config");
  }
  if (process.env.NEXT_RUNTIME === "edge") {
    await import("./sentry.edge.config");
  }
  // ── end configuration check + Sentry ──────────────────────────────────────────────────────

  // ── Event bus (issue [4], SPEC §4.1, §4.6) ────────────────────────────────────────────────
  // Events committed in this process go on the bus after commit (SSE wake-up, cache
  // invalidation); with REDIS_URL also to and from the other instances. Returns at once: Redis
  // is connected (and retried) in the background, never awaited here (lib/events/start.ts).
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startEventBus } = await import("./lib/events/start");
    startEventBus({ process: "web" });
  }
  // ── end event bus ─────────────────────────────────────────────────────────────────────────
}

/**
 * Errors Next.js itself catches (server components, server actions, a route handler that
 * throws past route()) go to Sentry; a no-op when Sentry was not started. route() reports its
 * own 500s (lib/http/route.ts), since it turns them into responses before Next sees them.
 */
export const onRequestError = Sentry.captureRequestError;
