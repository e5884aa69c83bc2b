/**
 * The worker's first import (`import "@/lib/observability/boot-worker"` at the top of
 * worker/index.ts, so it runs before any module that reads the environment): refuses a bad
 * configuration with one line, then starts Sentry when SENTRY_DSN is set.
 */
import { loadConfigOrExit } from "@/lib/config/env";
import { initWorkerSentry } from "@/lib/observability/sentry-node";

loadConfigOrExit({ needsSessionSecret: false });
initWorkerSentry();
