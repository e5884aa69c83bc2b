import { signatureHeaders, webhookId } from "@/lib/events/delivery/signing";
import { parseRetryAfter } from "@/lib/events/delivery/schedule";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, notifyConfigSchema, webhookConfigSchema } from "@/lib/events/subscribers/config";
import type { EventEnvelope } from "@/lib/events/catalogue";
import type { Subscriber } from "@/lib/generated/prisma/client";

/**
 * One handler per subscriber kind. A handler never throws for an expected failure: it reports
 * what happened, and the delivery loop turns that into an attempt row and the next state.
 */

export interface HandlerResult {
  ok: boolean;
  url?: string | null;
  statusCode?: number | null;
  /** At most 1 KB of the response body. */
  responseExcerpt?: string | null;
  error?: string | null;
  retryAfterMs?: number | null;
  /** The receiver answered 410 Gone: disable the subscriber. */
  gone?: boolean;
}

export interface HandlerInput {
  subscriber: Subscriber;
  envelope: EventEnvelope;
  now: Date;
  /** Upper bound the handler must finish in (the lease). */
  deadlineMs: number;
}

export type Handler = (input: HandlerInput) => Promise<HandlerResult>;

export const EXCERPT_BYTES = 1024;

export function excerpt(text: string): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= EXCERPT_BYTES) return text;
  // Cut on a byte boundary, then drop a trailing partial character.
  return buf.subarray(0, EXCERPT_BYTES).toString("utf8").replace(/\uFFFD$/, "");
}

export const webhookHandler: Handler = async ({ subscriber, envelope, deadlineMs }) => {
  const parsed = webhookConfigSchema.safeParse(subscriber.config);
  if (!parsed.success) return { ok: false, error: "Invalid webhook config: a url is required" };
  const config = parsed.data;
  const body = JSON.stringify(envelope);
  const timeout = Math.min(config.timeout_ms ?? DEFAULT_WEBHOOK_TIMEOUT_MS, deadlineMs);
  let headers: Record<string, string>;
  try {
    // The wall clock, always: receivers reject timestamps more than 5 minutes off.
    headers = signatureHeaders(subscriber, webhookId(envelope.id, subscriber.id), body, new Date());
  } catch (err) {
    return { ok: false, url: config.url, error: (err as Error).message };
  }
  let res: Response;
  try {
    res = await fetch(config.url, {
      method: "POST",
      headers: { ...config.headers, "content-type": "application/json", "user-agent": "PreRoll-Tracker-Webhooks/1", ...headers },
      body,
      // A redirect is a failure (SPEC §8), never followed with the signed body.
      redirect: "manual",
      signal: AbortSignal.timeout(timeout),
    });
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
    return { ok: false, url: config.url, error: timedOut ? `Timed out after ${timeout} ms` : `Request failed: ${e.message}${causeOf(e)}` };
  }
  let text = "";
  try {
    text = await res.text();
  } catch {
    text = "";
  }
  const ok = res.status >= 200 && res.status < 300;
  return {
    ok,
    url: config.url,
    statusCode: res.status,
    responseExcerpt: excerpt(text),
    error: ok ? null : res.status >= 300 && res.status < 400 ? `Redirect (HTTP ${res.status}) is not success` : `HTTP ${res.status}`,
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
    gone: res.status === 410,
  };
};

function causeOf(e: Error): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? "unknown"})` : "";
}

export const notifyHandler: Handler = async ({ subscriber, envelope }) => {
  const parsed = notifyConfigSchema.safeParse(subscriber.config ?? {});
  if (!parsed.success) return { ok: false, error: "Invalid notify config" };
  const { getSettings } = await import("@/lib/domain/settings/settings");
  const { notifyPushover, pushoverApiUrl } = await import("@/lib/domain/alerts/pushover");
  const fill = (template: string) =>
    template
      .replaceAll("{type}", envelope.type)
      .replaceAll("{id}", String(envelope.id))
      .replaceAll("{payload}", JSON.stringify(envelope.payload));
  const settings = await getSettings();
  const result = await notifyPushover(settings.pushover, {
    title: fill(parsed.data.title ?? "PreRoll Tracker: {type}"),
    message: fill(parsed.data.message ?? "{type} {payload}"),
    priority: parsed.data.priority,
    timestamp: Date.parse(envelope.metadata.timestamp) / 1000,
  });
  const url = `${pushoverApiUrl()}/1/messages.json`;
  if (result.skipped) return { ok: false, url, error: `Pushover is ${result.skipped === "disabled" ? "disabled" : "not configured"}` };
  return { ok: result.ok, url, statusCode: result.status, responseExcerpt: result.request ? `request ${result.request}` : null, error: result.error };
};

const notImplemented =
  (kind: string): Handler =>
  async () => ({ ok: false, error: `The ${kind} handler is not implemented yet` });

type CacheInvalidator = (envelope: EventEnvelope, keys: string[] | undefined) => void | Promise<void>;
const cacheInvalidators = new Set<CacheInvalidator>();

/** Built-in cache handlers register here; the `cache` kind calls each of them. */
export function registerCacheInvalidator(fn: CacheInvalidator): () => void {
  cacheInvalidators.add(fn);
  return () => cacheInvalidators.delete(fn);
}

export const cacheHandler: Handler = async ({ subscriber, envelope }) => {
  const keys = (subscriber.config as { keys?: string[] } | null)?.keys;
  try {
    for (const fn of cacheInvalidators) await fn(envelope, keys);
  } catch (err) {
    return { ok: false, error: `Cache invalidation failed: ${(err as Error).message}` };
  }
  return { ok: true, responseExcerpt: `${cacheInvalidators.size} cache invalidator(s) called` };
};

export const handlers: Record<string, Handler> = {
  webhook: webhookHandler,
  notify: notifyHandler,
  import: notImplemented("import"),
  backup: notImplemented("backup"),
  cache: cacheHandler,
};

export function handlerFor(kind: string): Handler {
  return handlers[kind] ?? (async () => ({ ok: false, error: `Unknown subscriber kind "${kind}"` }));
}
