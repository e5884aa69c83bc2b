import { db as defaultDb, type Db } from "@/lib/db/client";
import { systemContext, type ActorContext } from "@/lib/context";
import { logger } from "@/lib/log";
import { notFound } from "@/lib/http/errors";
import type { EventSource } from "@/lib/generated/prisma/client";
import { FeedShapeError, parseFeedPage } from "@/lib/events/sources/feed-page";
import { storeInboundEvent, type StoreOutcome } from "@/lib/events/sources/process";
import { authHeaderPair } from "@/lib/events/sources/schemas";

/**
 * Polling event sources (SPEC §4.4, seed 003): GET `url?{cursor_param}={cursor}&limit={limit}`
 * with the source's auth header, store every event (de-duplicated, handled, see process.ts),
 * then move the cursor to the page's `lastEventId` and follow `hasMore` up to MAX_PAGES_PER_POLL.
 * The cursor only moves after its page is stored, so a crash re-reads the page and the unique
 * index skips what was already stored. Every failure (HTTP status, timeout, network, bad JSON,
 * wrong shape) is recorded on the source (`last_status`, `last_error`) and never thrown: the
 * next poll simply retries from the stored cursor.
 */

export const POLL_TIMEOUT_MS = 15_000;
export const MAX_PAGES_PER_POLL = 10;
/** A feed answer larger than this is refused rather than parsed. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** `last_status` values: `ok`, or what went wrong. */
export type PollStatus = "ok" | "http_error" | "timeout" | "network_error" | "invalid_response" | "error" | "busy";

export interface PollOptions {
  now?: Date;
  timeoutMs?: number;
  maxPages?: number;
  ctx?: ActorContext;
  /** Stops between pages and sources, and aborts a request in flight (a job losing its lease). */
  signal?: AbortSignal;
}

export interface PollSummary {
  source_id: string;
  name: string;
  status: PollStatus;
  error: string | null;
  pages: number;
  /** Events the feed served (valid ones), new or not. */
  received: number;
  duplicates: number;
  processed: number;
  failed: number;
  ignored: number;
  /** Events without an id or type, skipped. */
  invalid: number;
  cursor: string | null;
  has_more: boolean;
}

class PollError extends Error {
  constructor(
    readonly status: PollStatus,
    message: string,
  ) {
    super(message);
  }
}

const EXCERPT_CHARS = 200;

function pageUrl(source: Pick<EventSource, "url" | "cursor_param" | "limit">, cursor: string | null): string {
  const url = new URL(source.url);
  if (cursor !== null) url.searchParams.set(source.cursor_param, cursor);
  else url.searchParams.delete(source.cursor_param);
  url.searchParams.set("limit", String(source.limit));
  return url.toString();
}

async function fetchPage(source: EventSource, cursor: string | null, timeoutMs: number, stop?: AbortSignal): Promise<unknown> {
  const url = pageUrl(source, cursor);
  const headers: Record<string, string> = { accept: "application/json", "user-agent": "PreRoll-Tracker-Poller/1" };
  if (source.auth_header) {
    const [name, value] = authHeaderPair(source.auth_header);
    headers[name] = value;
  }
  let res: Response;
  try {
    // Redirects are not followed: the auth header must not travel to another host.
    const timeout = AbortSignal.timeout(timeoutMs);
    res = await fetch(url, { headers, redirect: "manual", signal: stop ? AbortSignal.any([timeout, stop]) : timeout });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (stop?.aborted) throw new PollError("error", "Polling was stopped");
    if (e.name === "TimeoutError" || e.name === "AbortError") throw new PollError("timeout", `Timed out after ${timeoutMs} ms`);
    const cause = e.cause?.code ?? e.cause?.message;
    throw new PollError("network_error", `Request failed: ${e.message}${cause ? ` (${cause})` : ""}`);
  }
  let text: string;
  try {
    const declared = Number(res.headers.get("content-length"));
    if (declared > MAX_RESPONSE_BYTES) throw new PollError("invalid_response", `Response too large (${declared} bytes)`);
    text = await res.text();
  } catch (err) {
    if (err instanceof PollError) throw err;
    const e = err as Error;
    throw new PollError(e.name === "TimeoutError" ? "timeout" : "network_error", `Reading the response failed: ${e.message}`);
  }
  if (res.status < 200 || res.status >= 300) {
    const excerpt = text.slice(0, EXCERPT_CHARS).trim();
    throw new PollError("http_error", `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${excerpt ? `: ${excerpt}` : ""}`);
  }
  if (text.length > MAX_RESPONSE_BYTES) throw new PollError("invalid_response", `Response too large (${text.length} characters)`);
  try {
    return JSON.parse(text);
  } catch {
    throw new PollError("invalid_response", `Invalid JSON: ${text.slice(0, EXCERPT_CHARS).trim() || "(empty body)"}`);
  }
}

function emptySummary(source: Pick<EventSource, "id" | "name" | "cursor">): PollSummary {
  return {
    source_id: source.id,
    name: source.name,
    status: "ok",
    error: null,
    pages: 0,
    received: 0,
    duplicates: 0,
    processed: 0,
    failed: 0,
    ignored: 0,
    invalid: 0,
    cursor: source.cursor,
    has_more: false,
  };
}

/** Source ids being polled by this process: a manual poll and the scheduler never overlap here. */
const inFlight = new Set<string>();

export function isPolling(sourceId: string): boolean {
  return inFlight.has(sourceId);
}

/**
 * Polls one source now. Never throws for a remote failure: the summary (and the source row)
 * says what happened. A source already being polled in this process is skipped (status "busy",
 * not recorded on the source).
 */
export async function pollSource(client: Db, source: EventSource, options: PollOptions = {}): Promise<PollSummary> {
  const now = options.now ?? new Date();
  const ctx = options.ctx ?? systemContext("event-poller", "worker");
  const maxPages = options.maxPages ?? MAX_PAGES_PER_POLL;
  const timeoutMs = options.timeoutMs ?? POLL_TIMEOUT_MS;
  const summary = emptySummary(source);
  if (inFlight.has(source.id)) return { ...summary, status: "busy", error: "Already being polled" };
  inFlight.add(source.id);
  try {
    // The stored cursor, not the caller's copy: another process may have moved it.
    const fresh = await client.eventSource.findUnique({ where: { id: source.id } });
    if (!fresh) return { ...summary, status: "error", error: "Source was deleted" };
    let cursor = fresh.cursor;
    summary.cursor = cursor;
    try {
      for (let page = 0; page < maxPages && !options.signal?.aborted; page++) {
        let parsed;
        try {
          parsed = parseFeedPage(await fetchPage(fresh, cursor, timeoutMs, options.signal), fresh.limit);
        } catch (err) {
          if (err instanceof FeedShapeError) throw new PollError("invalid_response", `Unexpected response: ${err.message}`);
          throw err;
        }
        summary.pages++;
        summary.invalid += parsed.invalid;
        for (const event of parsed.events) {
          summary.received++;
          const outcome: StoreOutcome = await storeInboundEvent(ctx, fresh, event, client);
          summary[outcome === "duplicate" ? "duplicates" : outcome]++;
        }
        const next = parsed.lastEventId;
        const moved = next !== null && next !== cursor;
        if (moved) {
          // Durable before the next request: a crash from here on resumes after this page. Only
          // from the cursor this page was read at: if another process (or an admin's rewind)
          // moved it meanwhile, theirs stands and this poll stops.
          const { count } = await client.eventSource.updateMany({ where: { id: fresh.id, cursor }, data: { cursor: next } });
          if (count === 0) {
            summary.cursor = (await client.eventSource.findUnique({ where: { id: fresh.id }, select: { cursor: true } }))?.cursor ?? null;
            summary.has_more = parsed.hasMore;
            break;
          }
          cursor = next;
          summary.cursor = cursor;
        }
        summary.has_more = parsed.hasMore;
        // No progress means asking again would return the same page.
        if (!parsed.hasMore || !moved || parsed.events.length + parsed.invalid === 0) break;
      }
    } catch (err) {
      summary.status = err instanceof PollError ? err.status : "error";
      summary.error = err instanceof Error ? err.message : String(err);
      if (!(err instanceof PollError)) logger.error({ err, source: fresh.name }, "event source poll failed");
    }
    const lastError = summary.error ?? (summary.invalid > 0 ? `${summary.invalid} event(s) without an id or type were skipped` : null);
    await client.eventSource
      .update({ where: { id: fresh.id }, data: { last_polled_at: now, last_status: summary.status, last_error: lastError } })
      .catch((err: unknown) => logger.warn({ err, source: fresh.name }, "could not record the poll result (source deleted?)"));
    if (summary.status !== "ok")
      logger.warn({ source: fresh.name, status: summary.status, error: summary.error }, "event source poll failed");
    else if (summary.received > 0) logger.info({ source: fresh.name, ...summary }, "event source polled");
    return summary;
  } finally {
    inFlight.delete(source.id);
  }
}

/** When a source is next due: never polled → now; else last poll + its interval. */
export function nextPollAt(source: Pick<EventSource, "last_polled_at" | "interval_seconds">): Date | null {
  return source.last_polled_at ? new Date(source.last_polled_at.getTime() + source.interval_seconds * 1000) : null;
}

export function isDue(source: Pick<EventSource, "last_polled_at" | "interval_seconds">, now: Date): boolean {
  const next = nextPollAt(source);
  return next === null || next.getTime() <= now.getTime();
}

export interface PollRunSummary {
  polled: number;
  sources: PollSummary[];
  totals: { received: number; duplicates: number; processed: number; failed: number; ignored: number; errors: number };
}

function totalsOf(sources: PollSummary[]): PollRunSummary["totals"] {
  const t = { received: 0, duplicates: 0, processed: 0, failed: 0, ignored: 0, errors: 0 };
  for (const s of sources) {
    t.received += s.received;
    t.duplicates += s.duplicates;
    t.processed += s.processed;
    t.failed += s.failed;
    t.ignored += s.ignored;
    if (s.status !== "ok") t.errors++;
  }
  return t;
}

async function pollEach(client: Db, sources: EventSource[], options: PollOptions): Promise<PollRunSummary> {
  const results: PollSummary[] = [];
  // One at a time: SQLite has one writer, and sources are few.
  for (const source of sources) {
    if (options.signal?.aborted) break;
    try {
      results.push(await pollSource(client, source, options));
    } catch (err) {
      // A database failure on one source must not keep the others from being polled.
      logger.error({ err, source: source.name }, "event source poll failed");
      results.push({ ...emptySummary(source), status: "error", error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { polled: results.length, sources: results, totals: totalsOf(results) };
}

/** For the worker scheduler: polls every active source whose interval has passed. */
export async function pollDueSources(
  client: Db = defaultDb,
  now: Date = new Date(),
  options: Omit<PollOptions, "now"> = {},
): Promise<PollRunSummary> {
  const active = await client.eventSource.findMany({ where: { active: true }, orderBy: { name: "asc" } });
  const due = active.filter((s) => isDue(s, now) && !inFlight.has(s.id));
  return pollEach(client, due, { ...options, now });
}

/** With no active source the job only looks in hourly; creating/enabling one triggers a run. */
export const IDLE_POLLING_CHECK_SECONDS = 3600;

/**
 * How often the worker's polling job should run: as often as the most frequent active source
 * wants (each run polls only the sources that are due). Without an active source, hourly: a run
 * that polls nothing would still write job.started/job.completed every minute into the event log;
 * a new or re-enabled source triggers a run at once (the job's `runAfterEvents`).
 */
export async function pollingJobIntervalSeconds(client: Db = defaultDb): Promise<number> {
  const fastest = await client.eventSource.findFirst({
    where: { active: true },
    orderBy: { interval_seconds: "asc" },
    select: { interval_seconds: true },
  });
  return fastest?.interval_seconds ?? IDLE_POLLING_CHECK_SECONDS;
}

/** For POST /api/webhooks/poll-events: every active source now, or just `sourceId` (active or not). */
export async function pollAllSources(client: Db = defaultDb, options: PollOptions & { sourceId?: string } = {}): Promise<PollRunSummary> {
  const { sourceId, ...rest } = options;
  const sources = await client.eventSource.findMany({ where: sourceId ? { id: sourceId } : { active: true }, orderBy: { name: "asc" } });
  return pollEach(client, sources, rest);
}

/** The manual poll: every active source, or one named source (404 if unknown), as `ctx`'s actor. */
export async function pollNow(ctx: ActorContext, sourceId?: string, client: Db = defaultDb): Promise<{ success: true } & PollRunSummary> {
  if (sourceId && !(await client.eventSource.findUnique({ where: { id: sourceId }, select: { id: true } }))) {
    throw notFound("Event source not found", "event_source_not_found");
  }
  return { success: true, ...(await pollAllSources(client, { ctx, sourceId })) };
}
