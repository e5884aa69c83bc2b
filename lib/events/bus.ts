import { randomUUID } from "node:crypto";
import { newTraceId, requestScope } from "@/lib/context";
import {
  eventTypes,
  isEventType,
  parseEventPayload,
  UnknownEventTypeError,
  type EventEnvelope,
  type EventPayload,
  type EventType,
} from "@/lib/events/catalogue";
import { globMatch } from "@/lib/events/glob";
import { onCommittedEvents } from "@/lib/events/outbox";
import { logger } from "@/lib/log";

/**
 * The in-process event bus (SPEC §4.1, after seed 000's ApexAPI EventBus), typed by the catalogue.
 *
 * - `publish(envelope)` or `publish(type, payload, meta?)` (builds and validates the envelope).
 * - `subscribe(pattern, callback, {priority, once, name})` → subscription id. A pattern is a
 *   catalogued type, `"*"`, or a glob (`finished_good.*`, `*.deleted`; `*` spans dots, see
 *   lib/events/glob.ts). A pattern that matches no catalogued type is a programming error and throws.
 * - `unsubscribe(id)`, `unsubscribeType(pattern)` (subscriptions made with exactly that pattern),
 *   `unsubscribeAll()`.
 * - Bounded history (default 1,000, `maxHistory`), `history(filter?)`, `clearHistory()`.
 * - `waitFor(pattern, timeoutMs, predicate?)` → the next matching envelope, or null on timeout;
 *   either way its subscription and timer are gone when the promise settles.
 * - `stats()` (seed 000's counters, snake_case as in the seed) and `subscriptionDetails(pattern?)`
 *   (per subscription: calls, errors, recent errors).
 *
 * Dispatch rule. Matching callbacks are called synchronously, inside `publish`, one after the
 * other: higher priority first, equal priorities in subscription order. A callback that returns a
 * promise is NOT awaited before the next one is called (a slow async subscriber does not hold up
 * the others, and priority orders the calls, not their completions); the promise `publish` returns
 * settles once every callback has returned and every returned promise has settled. It never
 * rejects: a throwing or rejecting callback is isolated (the others are still called), counted in
 * `callback_errors`, logged, and kept in its subscription's `recent_errors`. So callers that do not
 * care about async subscribers may `void bus.publish(...)`.
 *
 * The callbacks are the ones subscribed when `publish` starts; one unsubscribed by an earlier
 * callback of the same dispatch is skipped. A `once` subscription is removed just before its call,
 * so a callback that publishes again does not reach itself twice.
 *
 * Programming errors throw synchronously from `publish`/`subscribe`/`waitFor` instead:
 * `UnknownEventTypeError` for a type (or pattern) the catalogue does not know, and
 * `InvalidEventPayloadError` for a payload that does not match its schema (built envelopes only:
 * a ready envelope, as the outbox and the Redis fan-out hand over, is trusted to be validated).
 *
 * Envelopes are shared between subscribers: treat them as read-only.
 */

/** A catalogued envelope; for a union of types, the union of their envelopes (narrow on `type`). */
export type BusEnvelope<T extends EventType = EventType> = { [K in T]: EventEnvelope<K, EventPayload<K>> }[T];

/** A catalogued type, `*`, or a glob over types. */
export type SubscriptionPattern = EventType | "*" | `${string}*${string}`;

/** The catalogued types a pattern matches (all of them for a non-literal or multi-`*` glob). */
export type MatchedTypes<P extends string> = string extends P
  ? EventType
  : P extends EventType
    ? P
    : P extends `${infer Pre}*${infer Post}`
      ? Post extends `${string}*${string}`
        ? EventType
        : Extract<EventType, `${Pre}${string}${Post}`>
      : never;

export type BusCallback<T extends EventType = EventType> = (envelope: BusEnvelope<T>) => unknown;

export interface SubscribeOptions {
  /** Higher is called first (default 0). */
  priority?: number;
  /** Remove the subscription before its first call. */
  once?: boolean;
  /** Shown in `subscriptionDetails()` and logs. */
  name?: string;
}

/** Metadata for an envelope built by `publish(type, payload, meta)` / `buildEnvelope`. */
export interface EnvelopeMeta {
  /** Default: a fresh negative id (ephemeral: never written to the outbox, unique in this process). */
  id?: number;
  /** Default: now. */
  timestamp?: string | Date;
  /** Defaults for actor, traceId and source: the request scope's, else `system` and a new trace id. */
  actor?: string;
  traceId?: string;
  source?: string;
}

export interface PublishResult<T extends EventType = EventType> {
  envelope: BusEnvelope<T>;
  /** Callbacks called for this envelope. */
  called: number;
  /** Of those, how many threw or rejected. */
  errors: number;
}

export interface HistoryFilter {
  /** A type or glob, as for `subscribe`. */
  type?: string;
  /** Envelopes with `metadata.timestamp` at or after this instant. */
  since?: string | Date;
  traceId?: string;
  /** The most recent N of what matched. */
  limit?: number;
}

export interface SubscriptionError {
  timestamp: string;
  error: string;
  stack: string | null;
  event_id: number;
  event_type: string;
}

export interface SubscriptionDetails {
  subscription_id: string;
  pattern: string;
  name: string | null;
  priority: number;
  once: boolean;
  created_at: string;
  call_count: number;
  error_count: number;
  last_called_at: string | null;
  /** The most recent errors, oldest first (at most `maxRecentErrors`). */
  recent_errors: SubscriptionError[];
}

/** Seed 000's `get_stats()`, plus `published_counts` (events published per type). */
export interface BusStats {
  events_published: number;
  total_callbacks_called: number;
  callback_errors: number;
  subscriptions_created: number;
  subscriptions_removed: number;
  /** Active subscriptions per pattern. */
  subscription_counts: Record<string, number>;
  total_subscriptions: number;
  event_history_size: number;
  max_history_size: number;
  published_counts: Record<string, number>;
}

export interface EventBusOptions {
  /** Envelopes kept for `history()` (default 1,000; 0 keeps none). */
  maxHistory?: number;
  /** Errors kept per subscription (default 10). */
  maxRecentErrors?: number;
}

interface Subscription {
  id: string;
  seq: number;
  pattern: string;
  callback: (envelope: BusEnvelope) => unknown;
  priority: number;
  once: boolean;
  name: string | null;
  createdAt: string;
  callCount: number;
  errorCount: number;
  lastCalledAt: string | null;
  recentErrors: SubscriptionError[];
}

let ephemeralId = 0;

function defaultMeta(): { actor: string; traceId: string; source: string } {
  const scope = requestScope.getStore();
  return scope
    ? { actor: scope.actor, traceId: scope.traceId, source: scope.source }
    : { actor: "system", traceId: newTraceId(), source: "system" };
}

/** Builds an envelope, validating type and payload against the catalogue (throws on either). */
export function buildEnvelope<T extends EventType>(type: T, payload: EventPayload<T>, meta: EnvelopeMeta = {}): BusEnvelope<T> {
  const parsed = parseEventPayload(type, payload);
  const defaults = defaultMeta();
  const timestamp = meta.timestamp instanceof Date ? meta.timestamp.toISOString() : (meta.timestamp ?? new Date().toISOString());
  const envelope: EventEnvelope<T, EventPayload<T>> = {
    id: meta.id ?? --ephemeralId,
    type,
    payload: parsed,
    metadata: {
      timestamp,
      actor: meta.actor ?? defaults.actor,
      traceId: meta.traceId ?? defaults.traceId,
      source: meta.source ?? defaults.source,
    },
  };
  return envelope as BusEnvelope<T>;
}

function assertPattern(pattern: string): void {
  if (typeof pattern !== "string" || pattern.length === 0) throw new UnknownEventTypeError("An event pattern must be a non-empty string");
  if (pattern.includes("*")) {
    if (!eventTypes.some((t) => globMatch(pattern, t)))
      throw new UnknownEventTypeError(`Pattern "${pattern}" matches no catalogued event type`);
  } else if (!isEventType(pattern)) {
    throw new UnknownEventTypeError(`Unknown event type "${pattern}"`);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

export class EventBus {
  readonly maxHistory: number;
  readonly maxRecentErrors: number;

  private readonly subscriptions = new Map<string, Subscription>();
  /** Subscriptions in dispatch order; rebuilt lazily after a change. */
  private ordered: Subscription[] | null = null;
  private seq = 0;
  private readonly historyBuffer: BusEnvelope[] = [];
  private readonly publishedCounts = new Map<string, number>();
  private readonly counters = {
    events_published: 0,
    total_callbacks_called: 0,
    callback_errors: 0,
    subscriptions_created: 0,
    subscriptions_removed: 0,
  };

  constructor(options: EventBusOptions = {}) {
    const maxHistory = options.maxHistory ?? 1000;
    const maxRecentErrors = options.maxRecentErrors ?? 10;
    if (!Number.isInteger(maxHistory) || maxHistory < 0) throw new RangeError("maxHistory must be a non-negative integer");
    if (!Number.isInteger(maxRecentErrors) || maxRecentErrors < 0) throw new RangeError("maxRecentErrors must be a non-negative integer");
    this.maxHistory = maxHistory;
    this.maxRecentErrors = maxRecentErrors;
  }

  // ---- publishing -------------------------------------------------------------------------------

  /** Publishes a ready envelope (from the outbox, the Redis fan-out, `buildEnvelope`). */
  publish<T extends EventType>(envelope: BusEnvelope<T>): Promise<PublishResult<T>>;
  /** Builds an envelope (validated by the catalogue: throws on an unknown type or a bad payload) and publishes it. */
  publish<T extends EventType>(type: T, payload: EventPayload<T>, meta?: EnvelopeMeta): Promise<PublishResult<T>>;
  publish<T extends EventType>(first: BusEnvelope<T> | T, payload?: EventPayload<T>, meta?: EnvelopeMeta): Promise<PublishResult<T>> {
    let envelope: BusEnvelope<T>;
    if (typeof first === "string") {
      envelope = buildEnvelope(first, payload as EventPayload<T>, meta);
    } else {
      if (!first || typeof first !== "object" || !isEventType((first as { type?: string }).type ?? "")) {
        throw new UnknownEventTypeError(`Unknown event type "${String((first as { type?: unknown } | null)?.type)}"`);
      }
      envelope = first;
    }
    return this.dispatch(envelope as BusEnvelope) as Promise<PublishResult<T>>;
  }

  private dispatch(envelope: BusEnvelope): Promise<PublishResult> {
    this.counters.events_published++;
    this.publishedCounts.set(envelope.type, (this.publishedCounts.get(envelope.type) ?? 0) + 1);
    if (this.maxHistory > 0) {
      this.historyBuffer.push(envelope);
      if (this.historyBuffer.length > this.maxHistory) this.historyBuffer.splice(0, this.historyBuffer.length - this.maxHistory);
    }

    const targets = this.dispatchOrder().filter((s) => globMatch(s.pattern, envelope.type));
    const result: PublishResult = { envelope, called: 0, errors: 0 };
    const pending: Promise<void>[] = [];
    for (const sub of targets) {
      if (!this.subscriptions.has(sub.id)) continue; // removed by an earlier callback of this dispatch
      if (sub.once) this.remove(sub.id);
      result.called++;
      this.counters.total_callbacks_called++;
      sub.callCount++;
      sub.lastCalledAt = new Date().toISOString();
      let returned: unknown;
      try {
        returned = sub.callback(envelope);
      } catch (error) {
        result.errors++;
        this.recordError(sub, error, envelope);
        continue;
      }
      if (isPromiseLike(returned)) {
        pending.push(
          Promise.resolve(returned).then(
            () => undefined,
            (error: unknown) => {
              result.errors++;
              this.recordError(sub, error, envelope);
            },
          ),
        );
      }
    }
    return pending.length === 0 ? Promise.resolve(result) : Promise.all(pending).then(() => result);
  }

  private recordError(sub: Subscription, error: unknown, envelope: BusEnvelope): void {
    this.counters.callback_errors++;
    sub.errorCount++;
    const err = error instanceof Error ? error : null;
    if (this.maxRecentErrors > 0) {
      sub.recentErrors.push({
        timestamp: new Date().toISOString(),
        error: err ? `${err.name}: ${err.message}` : String(error),
        stack: err?.stack ?? null,
        event_id: envelope.id,
        event_type: envelope.type,
      });
      if (sub.recentErrors.length > this.maxRecentErrors) sub.recentErrors.splice(0, sub.recentErrors.length - this.maxRecentErrors);
    }
    logger.warn(
      { err: error, subscription_id: sub.id, subscription: sub.name ?? sub.pattern, event_id: envelope.id, event_type: envelope.type },
      "event bus subscriber failed",
    );
  }

  // ---- subscribing ------------------------------------------------------------------------------

  /** Subscribes to a type, `*` or a glob; returns the subscription id. */
  subscribe<P extends SubscriptionPattern>(pattern: P, callback: BusCallback<MatchedTypes<P>>, options: SubscribeOptions = {}): string {
    assertPattern(pattern);
    if (typeof callback !== "function") throw new TypeError("callback must be a function");
    const priority = options.priority ?? 0;
    if (typeof priority !== "number" || Number.isNaN(priority)) throw new TypeError("priority must be a number");
    const sub: Subscription = {
      id: randomUUID(),
      seq: ++this.seq,
      pattern,
      callback: callback as (envelope: BusEnvelope) => unknown,
      priority,
      once: options.once ?? false,
      name: options.name ?? null,
      createdAt: new Date().toISOString(),
      callCount: 0,
      errorCount: 0,
      lastCalledAt: null,
      recentErrors: [],
    };
    this.subscriptions.set(sub.id, sub);
    this.ordered = null;
    this.counters.subscriptions_created++;
    return sub.id;
  }

  /** Removes one subscription; false when there is none with that id. */
  unsubscribe(id: string): boolean {
    return this.remove(id);
  }

  /** Removes every subscription made with exactly this pattern (a glob subscription is not removed by a type it covers); returns how many. */
  unsubscribeType(pattern: string): number {
    let removed = 0;
    for (const sub of [...this.subscriptions.values()]) {
      if (sub.pattern === pattern && this.remove(sub.id)) removed++;
    }
    return removed;
  }

  /** Removes every subscription; returns how many. */
  unsubscribeAll(): number {
    let removed = 0;
    for (const id of [...this.subscriptions.keys()]) if (this.remove(id)) removed++;
    return removed;
  }

  private remove(id: string): boolean {
    if (!this.subscriptions.delete(id)) return false;
    this.ordered = null;
    this.counters.subscriptions_removed++;
    return true;
  }

  private dispatchOrder(): Subscription[] {
    if (!this.ordered) {
      this.ordered = [...this.subscriptions.values()].sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    }
    return this.ordered;
  }

  // ---- waiting ----------------------------------------------------------------------------------

  /**
   * Resolves with the next envelope matching the pattern (and the predicate, if given), or null
   * after `timeoutMs`. Either way the subscription is removed and the timer cleared on settling.
   */
  waitFor<P extends SubscriptionPattern>(
    pattern: P,
    timeoutMs: number,
    predicate?: (envelope: BusEnvelope<MatchedTypes<P>>) => boolean,
  ): Promise<BusEnvelope<MatchedTypes<P>> | null> {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError("timeoutMs must be a finite, non-negative number");
    assertPattern(pattern);
    let settle: (value: BusEnvelope<MatchedTypes<P>> | null) => void = () => undefined;
    const promise = new Promise<BusEnvelope<MatchedTypes<P>> | null>((resolve) => {
      settle = resolve;
    });
    let done = false;
    const finish = (value: BusEnvelope<MatchedTypes<P>> | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.remove(id);
      settle(value);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const id = this.subscribe(
      pattern,
      (envelope) => {
        if (predicate && !predicate(envelope)) return;
        finish(envelope);
      },
      { name: `waitFor(${pattern})` },
    );
    return promise;
  }

  // ---- history ----------------------------------------------------------------------------------

  /** Published envelopes still in the bounded history, oldest first, optionally filtered. */
  history(filter: HistoryFilter = {}): BusEnvelope[] {
    const since = filter.since === undefined ? null : new Date(filter.since).getTime();
    let out = this.historyBuffer.filter(
      (e) =>
        (filter.type === undefined || globMatch(filter.type, e.type)) &&
        (filter.traceId === undefined || e.metadata.traceId === filter.traceId) &&
        (since === null || new Date(e.metadata.timestamp).getTime() >= since),
    );
    if (filter.limit !== undefined) out = filter.limit > 0 ? out.slice(-filter.limit) : [];
    return out;
  }

  clearHistory(): void {
    this.historyBuffer.length = 0;
  }

  // ---- introspection ----------------------------------------------------------------------------

  stats(): BusStats {
    const subscriptionCounts: Record<string, number> = {};
    for (const sub of this.subscriptions.values()) subscriptionCounts[sub.pattern] = (subscriptionCounts[sub.pattern] ?? 0) + 1;
    return {
      ...this.counters,
      subscription_counts: subscriptionCounts,
      total_subscriptions: this.subscriptions.size,
      event_history_size: this.historyBuffer.length,
      max_history_size: this.maxHistory,
      published_counts: Object.fromEntries(this.publishedCounts),
    };
  }

  /** Active subscriptions in dispatch order; with a pattern, those made with exactly that pattern. */
  subscriptionDetails(pattern?: string): SubscriptionDetails[] {
    return this.dispatchOrder()
      .filter((s) => pattern === undefined || s.pattern === pattern)
      .map((s) => ({
        subscription_id: s.id,
        pattern: s.pattern,
        name: s.name,
        priority: s.priority,
        once: s.once,
        created_at: s.createdAt,
        call_count: s.callCount,
        error_count: s.errorCount,
        last_called_at: s.lastCalledAt,
        recent_errors: s.recentErrors.map((e) => ({ ...e })),
      }));
  }
}

/** The process-wide bus (kept on globalThis so a dev-server reload does not split it). */
const globalForBus = globalThis as unknown as { __prerollBus?: EventBus };
export const bus: EventBus = globalForBus.__prerollBus ?? (globalForBus.__prerollBus = new EventBus());

const outboxConnections = new WeakMap<EventBus, () => void>();

/**
 * Publishes every event committed in this process (lib/events/outbox.ts) on the bus, in commit
 * order. Idempotent per bus; returns the function that disconnects it. The worker calls it.
 */
export function connectBusToOutbox(target: EventBus = bus, options: { skip?: (envelope: EventEnvelope) => boolean } = {}): () => void {
  const existing = outboxConnections.get(target);
  if (existing) return existing;
  const off = onCommittedEvents((events) => {
    for (const envelope of events) {
      // Already on the bus (the worker's relay can read a commit before its post-commit callback).
      if (options.skip?.(envelope)) continue;
      if (!isEventType(envelope.type)) {
        logger.warn({ event_id: envelope.id, event_type: envelope.type }, "outbox event of an uncatalogued type not put on the bus");
        continue;
      }
      void target.publish(envelope as BusEnvelope);
    }
  });
  const disconnect = () => {
    off();
    if (outboxConnections.get(target) === disconnect) outboxConnections.delete(target);
  };
  outboxConnections.set(target, disconnect);
  return disconnect;
}
