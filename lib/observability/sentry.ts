import { config } from "@/lib/config/env";
/**
 * Reporting handled errors to Sentry from any server process (route() 500s, worker task failures).
 * Does nothing unless SENTRY_DSN is set; the SDK is then loaded on first use, so processes and
 * tests without Sentry never pay for it. `@sentry/core` is what both @sentry/nextjs and
 * @sentry/node are built on: its `captureException` reaches whichever client the process started.
 */

export interface ErrorContext {
  traceId?: string;
  [key: string]: unknown;
}

export function sentryEnabled(dsn = config().SENTRY_DSN): boolean {
  return Boolean(dsn?.trim());
}

/** Resolves to the Sentry event id, or undefined when Sentry is off. Never throws. */
export async function reportError(error: unknown, context: ErrorContext = {}): Promise<string | undefined> {
  if (!sentryEnabled()) return undefined;
  try {
    const { captureException } = await import("@sentry/core");
    const { traceId, ...extra } = context;
    return captureException(error, { tags: traceId ? { traceId } : undefined, extra });
  } catch {
    return undefined;
  }
}

/** Waits (bounded) until queued events are sent: call before a deliberate process.exit. */
export async function flushSentry(timeoutMs = 2_000): Promise<void> {
  if (!sentryEnabled()) return;
  try {
    const { flush } = await import("@sentry/core");
    await flush(timeoutMs);
  } catch {
    // Shutting down either way.
  }
}
