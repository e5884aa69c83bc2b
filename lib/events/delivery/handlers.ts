import { signatureHeaders, webhookId } from "@/lib/events/delivery/signing";
import { backupHandler } from "@/lib/domain/backups/backup-handler";
import { parseRetryAfter } from "@/lib/events/delivery/schedule";
import { headerValue, postBody, type PostResponse } from "@/lib/events/delivery/http-client";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, importConfigSchema, notifyConfigSchema, webhookConfigSchema } from "@/lib/events/subscribers/config";
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
  return buf
    .subarray(0, EXCERPT_BYTES)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

/** Parsed once per subscriber row object: a claimed batch shares one row per subscriber. */
const webhookConfigs = new WeakMap<object, ReturnType<typeof webhookConfigSchema.safeParse>>();
function webhookConfigOf(subscriber: Subscriber) {
  let parsed = webhookConfigs.get(subscriber);
  if (!parsed) webhookConfigs.set(subscriber, (parsed = webhookConfigSchema.safeParse(subscriber.config)));
  return parsed;
}

export const webhookHandler: Handler = async ({ subscriber, envelope, deadlineMs }) => {
  const parsed = webhookConfigOf(subscriber);
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
  let res: PostResponse;
  try {
    // Keep-alive pool; a redirect is a failure (SPEC §8), never followed with the signed body.
    res = await postBody(
      config.url,
      { ...config.headers, "content-type": "application/json", "user-agent": "PreRoll-Tracker-Webhooks/1", ...headers },
      body,
      timeout,
    );
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
    return { ok: false, url: config.url, error: timedOut ? `Timed out after ${timeout} ms` : `Request failed: ${e.message}${causeOf(e)}` };
  }
  const text = res.text;
  const ok = res.status >= 200 && res.status < 300;
  return {
    ok,
    url: config.url,
    statusCode: res.status,
    responseExcerpt: excerpt(text),
    error: ok ? null : res.status >= 300 && res.status < 400 ? `Redirect (HTTP ${res.status}) is not success` : `HTTP ${res.status}`,
    retryAfterMs: parseRetryAfter(headerValue(res.headers["retry-after"])),
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
  const { formatEventNotification } = await import("@/lib/domain/alerts/notification-format");
  const fill = (template: string) =>
    template
      .replaceAll("{type}", envelope.type)
      .replaceAll("{id}", String(envelope.id))
      .replaceAll("{payload}", JSON.stringify(envelope.payload));
  // Without a template, a readable message per event type (stock alerts, testing overdue, …).
  const standard = formatEventNotification(envelope);
  const settings = await getSettings();
  const result = await notifyPushover(settings.pushover, {
    title: parsed.data.title ? fill(parsed.data.title) : standard.title,
    message: parsed.data.message ? fill(parsed.data.message) : standard.message,
    priority: parsed.data.priority ?? standard.priority,
    timestamp: Date.parse(envelope.metadata.timestamp) / 1000,
  });
  const url = `${pushoverApiUrl()}/1/messages.json`;
  // Notifications switched off on purpose: done, not retried (enabling Pushover later must not
  // flood the phone with stale alerts). Enabled without keys is a misconfiguration: retried.
  if (result.skipped === "disabled") return { ok: true, url, responseExcerpt: "skipped: Pushover notifications are disabled" };
  if (result.skipped) return { ok: false, url, error: "Pushover is not configured" };
  return {
    ok: result.ok,
    url,
    statusCode: result.status,
    responseExcerpt: result.request ? `request ${result.request}` : null,
    error: result.error,
  };
};

/**
 * `import`: the file of a `file.received` event into the subscriber's target (lib/domain/imports/).
 * A file that cannot be imported is recorded (`import.failed`, moved to failed/) and the delivery
 * completes — retrying it is pointless; a thrown error (file locked, database busy) is retried.
 * A test ping checks that the inbox folder is usable.
 */
export const importHandler: Handler = async ({ subscriber, envelope }) => {
  const parsed = importConfigSchema.safeParse(subscriber.config ?? {});
  if (!parsed.success) return { ok: false, error: "Invalid import config: target must be auto, sales, papers or finished_goods" };
  if (envelope.type === "test.ping") {
    const { checkInbox } = await import("@/lib/events/inbox/inbox-dir");
    const check = await checkInbox();
    return check.ok ? { ok: true, responseExcerpt: check.message } : { ok: false, error: check.message };
  }
  if (envelope.type !== "file.received")
    return { ok: true, responseExcerpt: `Ignored ${envelope.type}: the import handler takes file.received events` };
  const { importInboxFile, describeOutcome } = await import("@/lib/domain/imports/import-file");
  try {
    return { ok: true, responseExcerpt: excerpt(describeOutcome(await importInboxFile({ envelope, target: parsed.data.target }))) };
  } catch (err) {
    return { ok: false, error: `Import not finished, will retry: ${(err as Error).message}` };
  }
};

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
  import: importHandler,
  backup: backupHandler,
  cache: cacheHandler,
};

export function handlerFor(kind: string): Handler {
  return (
    (Object.hasOwn(handlers, kind) ? handlers[kind] : undefined) ??
    (async () => ({ ok: false, error: `Unknown subscriber kind "${kind}"` }))
  );
}
