import { randomUUID } from "node:crypto";
import os from "node:os";
import { Redis } from "ioredis";
import { isEventType, parseEventPayload } from "@/lib/events/catalogue";
import { bus as defaultBus, type BusEnvelope, type EventBus } from "@/lib/events/bus";
import { logger } from "@/lib/log";
import { config } from "@/lib/config/env";

/**
 * Bus fan-out between app instances through Redis pub/sub (SPEC §4.6), only when REDIS_URL is set.
 *
 * Every envelope published on the local bus is also published on one Redis channel, tagged with
 * this instance's id; every message on that channel from another instance is validated against
 * the catalogue and published on the local bus. No echo loops: Redis hands a publisher its own
 * messages back, and those (same instance id) are ignored; and an envelope that came from Redis is
 * not sent out again. Delivery is Redis pub/sub's: at most once, to instances connected at the time
 * (the durable path is the outbox and its deliveries; this is for in-process listeners such as
 * SSE streams and caches). Sending never holds up local delivery: `publish` does not wait for Redis.
 *
 * Two connections per instance (a subscribed Redis connection can do nothing else). `close()`
 * unsubscribes from the bus and QUITs both connections (falling back to a hard disconnect).
 *
 * Once started, a lost connection is ioredis's to re-establish (it retries forever and
 * re-subscribes); meanwhile local delivery goes on. An outage is logged once when it begins and
 * once when both connections are back (not on every retry), and `onConnectionChange` is told.
 */

export const DEFAULT_CHANNEL = "preroll:events";
const WIRE_VERSION = 1;

export interface RedisFanoutOptions {
  /** Default: REDIS_URL. Without one, `startRedisFanout` returns null. */
  url?: string;
  /** Default: the process-wide bus. */
  bus?: EventBus;
  /** Default: REDIS_EVENTS_CHANNEL, else "preroll:events". Instances that should hear each other share it. */
  channel?: string;
  /** Default: host:pid:random. */
  instanceId?: string;
  /** Give up starting after this long (default 5,000 ms). */
  connectTimeoutMs?: number;
  /** Called with false when a started fan-out loses a connection, with true when both are back. */
  onConnectionChange?: (connected: boolean) => void;
  /** Committed ids already on this bus (see SeenEventIds); a received copy of one is dropped. */
  seen?: SeenEventIds;
}

export interface RedisFanoutStats {
  instance_id: string;
  channel: string;
  /** Local envelopes published on Redis. */
  sent: number;
  /** Envelopes from other instances delivered to the local bus. */
  received: number;
  /** This instance's own messages coming back from Redis (ignored). */
  ignored_own: number;
  /** Messages that were not valid JSON, had another wire version or failed the catalogue (dropped). */
  dropped: number;
  /** Local envelopes that could not be published on Redis (lost for other instances). */
  send_errors: number;
  publisher_status: string;
  subscriber_status: string;
}

interface WireMessage {
  v: number;
  origin: string;
  envelope: BusEnvelope;
}

export class RedisFanoutStartError extends Error {}

/**
 * Envelopes put on a bus for this process only (the worker's relay publishing another process's
 * commit, which that process has already fanned out): never sent to Redis.
 */
export const localOnlyEnvelopes = new WeakSet<object>();

/**
 * Ids of committed events (id > 0) already published on a bus in this process, bounded: the
 * relay and the Redis receiver both skip an event that already reached the bus another way.
 */
export class SeenEventIds {
  private readonly ids = new Set<number>();
  constructor(private readonly max = 20_000) {}
  has(id: number): boolean {
    return this.ids.has(id);
  }
  /** Records the id; false when it was already there. */
  add(id: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as number);
    return true;
  }
}

export class RedisFanout {
  private readonly fromRedis = new WeakSet<object>();
  private readonly counters = { sent: 0, received: 0, ignored_own: 0, dropped: 0, send_errors: 0 };
  private subscriptionId: string | null = null;
  private closing: Promise<void> | null = null;
  /** Set once start() has succeeded; connection trouble before that is start()'s to report. */
  private started = false;
  /** Connections currently lost (after start). */
  private readonly down = new Set<string>();
  private onConnectionChange: ((connected: boolean) => void) | undefined;
  private seen: SeenEventIds | undefined;
  /** @internal The startRedisFanout registration this fan-out came from, if any. */
  registration: Promise<RedisFanout> | null = null;

  private constructor(
    readonly bus: EventBus,
    readonly channel: string,
    readonly instanceId: string,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {}

  /** Connects both connections, subscribes to the channel, then hooks the bus; throws (having cleaned up) when Redis cannot be reached in time. */
  static async start(options: RedisFanoutOptions & { url: string }): Promise<RedisFanout> {
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    const channel = options.channel ?? config().REDIS_EVENTS_CHANNEL ?? DEFAULT_CHANNEL;
    const instanceId = options.instanceId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const redisOptions = {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 3,
      connectionName: `preroll-fanout-${instanceId}`.replace(/[^\w:.-]/g, "_").slice(0, 100),
    };
    const publisher = new Redis(options.url, redisOptions);
    const subscriber = new Redis(options.url, redisOptions);
    const fanout = new RedisFanout(options.bus ?? defaultBus, channel, instanceId, publisher, subscriber);
    fanout.onConnectionChange = options.onConnectionChange;
    fanout.seen = options.seen;
    let lastError: Error | null = null;
    for (const [role, client] of [
      ["publisher", publisher],
      ["subscriber", subscriber],
    ] as const) {
      client.on("error", (err: Error) => {
        lastError = err;
        fanout.connectionLost(role, err);
      });
      client.on("close", () => fanout.connectionLost(role, null));
      client.on("ready", () => fanout.connectionBack(role));
    }
    subscriber.on("message", (ch: string, message: string) => {
      if (ch === channel) fanout.receive(message);
    });

    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not reachable within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([Promise.all([publisher.connect(), subscriber.connect().then(() => subscriber.subscribe(channel))]), timeout]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      const reason = (lastError as Error | null)?.message ?? (error instanceof Error ? error.message : String(error));
      throw new RedisFanoutStartError(`Redis fan-out could not start on ${redactUrl(options.url)}: ${reason}`, { cause: error });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }

    fanout.subscriptionId = fanout.bus.subscribe("*", (envelope) => fanout.send(envelope), { name: "redis-fanout", priority: -1_000_000 });
    fanout.started = true;
    logger.info({ channel, instance_id: instanceId }, "redis fan-out started");
    return fanout;
  }

  /** Both connections are up (false while ioredis reconnects, and after close). */
  get connected(): boolean {
    return this.started && !this.closing && this.publisher.status === "ready" && this.subscriber.status === "ready";
  }

  private connectionLost(role: string, err: Error | null): void {
    if (!this.started || this.closing) return;
    const first = this.down.size === 0;
    this.down.add(role);
    if (!first) return;
    logger.warn(
      { err: err ?? undefined, role, channel: this.channel, instance_id: this.instanceId },
      "redis fan-out connection lost: events reach only this process until it reconnects (retrying)",
    );
    this.notify(false);
  }

  private connectionBack(role: string): void {
    if (!this.started || this.closing || !this.down.delete(role) || this.down.size > 0) return;
    logger.info({ channel: this.channel, instance_id: this.instanceId }, "redis fan-out reconnected");
    this.notify(true);
  }

  private notify(connected: boolean): void {
    try {
      this.onConnectionChange?.(connected);
    } catch (err) {
      logger.warn({ err }, "redis fan-out connection listener failed");
    }
  }

  private send(envelope: BusEnvelope): void {
    if (this.fromRedis.has(envelope)) return; // it came from another instance: no echo
    if (localOnlyEnvelopes.has(envelope)) return; // relayed from the database: its process sent it
    const message: WireMessage = { v: WIRE_VERSION, origin: this.instanceId, envelope };
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (err) {
      this.counters.send_errors++;
      logger.warn({ err, event_id: envelope.id, event_type: envelope.type }, "redis fan-out could not serialise an event");
      return;
    }
    this.counters.sent++;
    this.publisher.publish(this.channel, text).catch((err: unknown) => {
      this.counters.send_errors++;
      // During an outage the loss was logged when it began; one line per event would flood.
      if (this.down.size === 0)
        logger.warn({ err, event_id: envelope.id, event_type: envelope.type }, "redis fan-out could not publish an event");
    });
  }

  private receive(text: string): void {
    let message: Partial<WireMessage>;
    try {
      message = JSON.parse(text) as Partial<WireMessage>;
    } catch {
      this.drop("not JSON");
      return;
    }
    if (!message || typeof message !== "object" || message.v !== WIRE_VERSION || typeof message.origin !== "string") {
      this.drop("unknown wire format");
      return;
    }
    if (message.origin === this.instanceId) {
      this.counters.ignored_own++;
      return;
    }
    const envelope = this.validate(message.envelope);
    if (!envelope) return;
    if (this.seen?.has(envelope.id)) {
      this.counters.ignored_own++; // the worker's relay already put it on this bus
      return;
    }
    this.fromRedis.add(envelope);
    this.counters.received++;
    void this.bus.publish(envelope);
  }

  private validate(raw: unknown): BusEnvelope | null {
    const e = raw as Partial<BusEnvelope> | null | undefined;
    const m = e?.metadata as Partial<BusEnvelope["metadata"]> | undefined;
    if (
      !e ||
      typeof e !== "object" ||
      typeof e.id !== "number" ||
      typeof e.type !== "string" ||
      !m ||
      typeof m !== "object" ||
      typeof m.timestamp !== "string" ||
      typeof m.actor !== "string" ||
      typeof m.traceId !== "string" ||
      typeof m.source !== "string"
    ) {
      this.drop("malformed envelope");
      return null;
    }
    if (!isEventType(e.type)) {
      this.drop(`uncatalogued type "${e.type}"`);
      return null;
    }
    try {
      const payload = parseEventPayload(e.type, e.payload);
      return {
        id: e.id,
        type: e.type,
        payload,
        metadata: { timestamp: m.timestamp, actor: m.actor, traceId: m.traceId, source: m.source },
      } as BusEnvelope;
    } catch (err) {
      this.drop(err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  private drop(reason: string): void {
    this.counters.dropped++;
    logger.warn({ channel: this.channel, reason }, "redis fan-out dropped a message");
  }

  stats(): RedisFanoutStats {
    return {
      instance_id: this.instanceId,
      channel: this.channel,
      ...this.counters,
      publisher_status: this.publisher.status,
      subscriber_status: this.subscriber.status,
    };
  }

  /** Stops fanning out and closes both connections. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      if (this.subscriptionId) this.bus.unsubscribe(this.subscriptionId);
      this.subscriptionId = null;
      if (this.registration && running.get(this.bus) === this.registration) running.delete(this.bus);
      this.closing = Promise.all([quit(this.subscriber), quit(this.publisher)]).then(() => {
        logger.info({ channel: this.channel, instance_id: this.instanceId }, "redis fan-out closed");
      });
    }
    return this.closing;
  }
}

/** QUIT (lets queued publishes go out) and wait for the connection to end; a hard disconnect after 2 s or on failure. */
async function quit(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("QUIT timed out")), 2000);
  });
  try {
    await Promise.race([client.quit().then(() => ended), timeout]);
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

const running = new WeakMap<EventBus, Promise<RedisFanout>>();

/**
 * Starts the fan-out for a bus when a Redis URL is given or REDIS_URL is set; null otherwise.
 * One fan-out per bus: another call for the same bus (even a concurrent one) gets the same one
 * until it is closed. Rejects with `RedisFanoutStartError` when Redis cannot be reached.
 */
export function startRedisFanout(options: RedisFanoutOptions = {}): Promise<RedisFanout | null> {
  const url = options.url ?? config().REDIS_URL;
  if (!url) return Promise.resolve(null);
  const target = options.bus ?? defaultBus;
  const existing = running.get(target);
  if (existing) return existing;
  const starting: Promise<RedisFanout> = RedisFanout.start({ ...options, url, bus: target }).then(
    (fanout) => {
      fanout.registration = starting;
      return fanout;
    },
    (error: unknown) => {
      if (running.get(target) === starting) running.delete(target);
      throw error;
    },
  );
  running.set(target, starting);
  return starting;
}
