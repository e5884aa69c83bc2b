import { invalidateMemos, setEventDrivenInvalidation } from "@/lib/db/data-version";
import { bus as defaultBus, connectBusToOutbox, type EventBus } from "@/lib/events/bus";
import { connectCacheInvalidation } from "@/lib/events/cache-invalidation";
import { localOnlyEnvelopes, SeenEventIds, startRedisFanout, type RedisFanout, type RedisFanoutStats } from "@/lib/events/redis-fanout";
import type { BusEnvelope } from "@/lib/events/bus";
import { isEventType, type EventEnvelope } from "@/lib/events/catalogue";
import { logger } from "@/lib/log";
import { config } from "@/lib/config/env";

/**
 * Wires a process's event bus (SPEC §4.1, §4.6). The web server calls it from instrumentation.ts,
 * the worker from worker/index.ts:
 *
 *   - events committed in this process (`mutate` → lib/events/outbox.ts) are published on the bus
 *     after commit;
 *   - the built-in cache invalidation listens on the bus (lib/events/cache-invalidation.ts);
 *   - with REDIS_URL, the bus is fanned out through Redis (lib/events/redis-fanout.ts), so an
 *     event committed by one instance reaches the others' buses once (no echo, no loop).
 *
 * Without REDIS_URL nothing connects anywhere. Redis never stops the process: when it cannot be
 * reached at start this logs once and keeps trying in the background (1 s doubling to 30 s), and
 * once connected ioredis re-establishes lost connections by itself. Either way events go on
 * reaching this process's own subscribers. After an outage every memo is dropped, as events of
 * other instances may have been missed.
 *
 * Idempotent per bus and process-wide (Next may call `register()` more than once, and its entries
 * have separate module copies): the state lives on globalThis.
 */

export type EventBusProcess = "web" | "worker";
export type RedisFanoutState = "off" | "connecting" | "connected" | "reconnecting" | "retrying" | "stopped";

export interface StartEventBusOptions {
  /** For logs and status (default "web"). */
  process?: EventBusProcess;
  /** Default: the process-wide bus. */
  bus?: EventBus;
  /** Default: REDIS_URL; null turns the fan-out off whatever the environment says. */
  redisUrl?: string | null;
  /** Default: REDIS_EVENTS_CHANNEL, else the fan-out's default. */
  channel?: string;
  /** Retry delays after a failed start (default 1,000 doubling up to 30,000 ms). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface EventBusStatus {
  process: EventBusProcess;
  outbox: boolean;
  cache_invalidation: boolean;
  redis: {
    state: RedisFanoutState;
    /** Failed start attempts since the last success. */
    failed_attempts: number;
    last_error: string | null;
    fanout: RedisFanoutStats | null;
  };
}

export interface EventBusHandle {
  readonly process: EventBusProcess;
  readonly bus: EventBus;
  status(): EventBusStatus;
  /** Resolves once the Redis fan-out is connected (at once when it is off); false on timeout. */
  redisReady(timeoutMs: number): Promise<boolean>;
  /**
   * Puts committed events read from the database (the worker's relay) on this bus — those that
   * have not reached it already (committed here, or received through Redis) — for this process
   * only: their own process fanned them out. Returns how many were published.
   */
  publishRelayed(envelopes: EventEnvelope[]): number;
  /** Undoes everything: outbox link, cache subscriber, retries, Redis connections. */
  stop(): Promise<void>;
}

const globalForRuntime = globalThis as unknown as { __prerollEventBusRuntimes?: Map<EventBus, EventBusHandle> };
const runtimes: Map<EventBus, EventBusHandle> = (globalForRuntime.__prerollEventBusRuntimes ??= new Map());

export function startEventBus(options: StartEventBusOptions = {}): EventBusHandle {
  const target = options.bus ?? defaultBus;
  const existing = runtimes.get(target);
  if (existing) return existing;
  const handle = createRuntime(target, options);
  runtimes.set(target, handle);
  return handle;
}

/** Whether this process has wired the bus (the relay only builds envelopes for it then). */
export function eventBusWired(target: EventBus = defaultBus): boolean {
  return runtimes.has(target);
}

/** Relayed events onto the process-wide bus when this process has wired it (the worker); else 0. */
export function publishRelayedEvents(envelopes: EventEnvelope[], target: EventBus = defaultBus): number {
  return runtimes.get(target)?.publishRelayed(envelopes) ?? 0;
}

/** The running wiring of the process-wide bus, if any (for the Event system status page). */
export function eventBusStatus(target: EventBus = defaultBus): EventBusStatus | null {
  return runtimes.get(target)?.status() ?? null;
}

function createRuntime(target: EventBus, options: StartEventBusOptions): EventBusHandle {
  const processName = options.process ?? "web";
  const url = options.redisUrl === undefined ? config().REDIS_URL || null : options.redisUrl;
  const retryMin = options.retryMinMs ?? 1000;
  const retryMax = options.retryMaxMs ?? 30_000;
  const isDefaultBus = target === defaultBus;

  // Every committed event that reaches this bus, however it came (first subscriber to run).
  const seen = new SeenEventIds();
  const seenSubscription: string | null = target.subscribe(
    "*",
    (envelope) => {
      if (envelope.id > 0) seen.add(envelope.id);
    },
    { name: "seen-event-ids", priority: Number.MAX_SAFE_INTEGER },
  );
  let disconnectOutbox: (() => void) | null = connectBusToOutbox(target, { skip: (e) => seen.has(e.id) });
  let disconnectCache: (() => void) | null = connectCacheInvalidation(target);
  let state: RedisFanoutState = url ? "connecting" : "off";
  let fanout: RedisFanout | null = null;
  let failedAttempts = 0;
  let lastError: string | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const waiters = new Set<() => void>();

  // Memo lifetimes on PostgreSQL follow whether other processes' events can reach this bus.
  const eventDriven = (on: boolean) => {
    if (isDefaultBus) setEventDrivenInvalidation(on);
  };
  const settle = () => {
    for (const wake of [...waiters]) wake();
  };

  const onConnectionChange = (connected: boolean) => {
    if (stopped) return;
    state = connected ? "connected" : "reconnecting";
    eventDriven(connected);
    if (connected) {
      if (isDefaultBus) invalidateMemos(); // other instances' events during the outage were missed
      settle();
    }
  };

  const connect = async (): Promise<void> => {
    retryTimer = null;
    if (stopped || !url) return;
    try {
      const started = await startRedisFanout({ url, bus: target, channel: options.channel, onConnectionChange, seen });
      if (!started) return;
      if (stopped) {
        await started.close();
        return;
      }
      fanout = started;
      state = "connected";
      if (failedAttempts > 0) {
        logger.info({ process: processName, failed_attempts: failedAttempts }, "redis fan-out connected after failed attempts");
        if (isDefaultBus) invalidateMemos();
      }
      failedAttempts = 0;
      lastError = null;
      eventDriven(true);
      settle();
    } catch (err) {
      if (stopped) return;
      failedAttempts++;
      lastError = err instanceof Error ? err.message : String(err);
      state = "retrying";
      const delay = Math.min(retryMin * 2 ** (failedAttempts - 1), retryMax);
      // Once per outage, not per attempt: the state and attempt count are on the status page.
      if (failedAttempts === 1) {
        logger.warn(
          { process: processName, error: lastError, retry_ms: delay },
          "redis fan-out unavailable: events reach only this process; retrying in the background",
        );
      }
      retryTimer = setTimeout(() => void connect(), delay);
      retryTimer.unref();
    }
  };
  if (url) void connect();

  const handle: EventBusHandle = {
    process: processName,
    bus: target,
    status: () => ({
      process: processName,
      outbox: disconnectOutbox !== null,
      cache_invalidation: disconnectCache !== null,
      redis: { state, failed_attempts: failedAttempts, last_error: lastError, fanout: fanout?.stats() ?? null },
    }),
    redisReady(timeoutMs) {
      if (state === "off" || state === "connected") return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(state === "connected");
        };
        const timer = setTimeout(done, timeoutMs);
        timer.unref();
        waiters.add(done);
      });
    },
    publishRelayed(envelopes) {
      if (stopped) return 0;
      let published = 0;
      for (const envelope of envelopes) {
        if (envelope.id <= 0 || seen.has(envelope.id) || !isEventType(envelope.type)) continue;
        localOnlyEnvelopes.add(envelope);
        void target.publish(envelope as BusEnvelope);
        published++;
      }
      return published;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (seenSubscription) target.unsubscribe(seenSubscription);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      disconnectOutbox?.();
      disconnectCache?.();
      disconnectOutbox = null;
      disconnectCache = null;
      if (runtimes.get(target) === handle) runtimes.delete(target);
      eventDriven(false);
      state = url ? "stopped" : "off";
      settle();
      const running = fanout;
      fanout = null;
      await running?.close();
    },
  };
  return handle;
}
