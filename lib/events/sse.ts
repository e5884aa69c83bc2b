import { dataVersion, onDataChange } from "@/lib/db/data-version";
import { notifiedEvents } from "@/lib/db/pg-changes";
import { bus, type BusEnvelope } from "@/lib/events/bus";
import type { EventEnvelope } from "@/lib/events/catalogue";
import { onCommittedEvents, toEnvelope } from "@/lib/events/outbox";
import { feedDb, readFeed, type TypeFilter } from "@/lib/events/feed";
import { logger } from "@/lib/log";
import { config } from "@/lib/config/env";

/**
 * Server-sent events for `GET /api/events/stream` (SPEC §4.3, §8 "SSE behind proxies").
 *
 * One module-level hub follows the events table for every open stream of this process:
 *   - commits made in this process arrive through `onCommittedEvents` (no query when they follow
 *     the hub's head directly);
 *   - an event on the bus beyond the hub's head (another instance's or the worker's, through the
 *     Redis fan-out) wakes the hub to read `id > head`: the bus is only a wake-up signal, events
 *     are always read from the database in id order, so Last-Event-ID resumes exactly;
 *   - anything neither reports (the worker without Redis, a CLI) is found by polling: every
 *     `pollMs` the hub compares `dataVersion()` (microseconds, no query) and reads only when it moved;
 *     on PostgreSQL a change notification (lib/db/pg-changes.ts) triggers that look at once.
 * The hub reads each new event once and fans it out; it runs only while a stream is open. All its
 * reads go through `feedDb()` (committed rows only, see lib/events/feed.ts).
 *
 * A stream is tiny: a cursor (`covered`: every id ≤ it has been considered), its type filter, two
 * timers. It first sends its backlog from the database in pages — reading the next page only when
 * the client has taken the previous one (backpressure) — until it reaches the hub's head, then
 * takes live events from the hub. A client that falls behind drops back to paged catch-up instead
 * of queueing in memory; one that reads nothing for `stallMs` is closed. A stream also ends after
 * `maxMs` (EventSource reconnects by itself with `Last-Event-ID`), on `req.signal` abort and when
 * the body is cancelled; every end removes it from the hub and clears its timers.
 */

export interface EventStreamOptions {
  /** `: ping` comment interval (proxies close idle connections). */
  heartbeatMs: number;
  /** How often the hub checks `dataVersion()` for other processes' commits. */
  pollMs: number;
  /** Longest life of one connection; the client reconnects with `Last-Event-ID`. */
  maxMs: number;
  /** Close a stream whose client has read nothing (queue full) for this long. */
  stallMs: number;
  /** Backlog page size. */
  pageSize: number;
  /** Reconnect delay suggested to EventSource (`retry:`). */
  retryMs: number;
}

/** Options from the environment, read per connection (the poll interval when the hub starts). */
export function eventStreamOptions(): EventStreamOptions {
  const env = config();
  return {
    heartbeatMs: env.EVENTS_SSE_HEARTBEAT_MS,
    pollMs: env.EVENTS_SSE_POLL_MS,
    maxMs: env.EVENTS_SSE_MAX_MS,
    stallMs: env.EVENTS_SSE_STALL_MS,
    pageSize: env.EVENTS_SSE_PAGE_SIZE,
    retryMs: env.EVENTS_SSE_RETRY_MS,
  };
}

export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform also keeps Next's gzip (the `compression` middleware) and proxies off the body.
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

const encoder = new TextEncoder();
const PING = encoder.encode(": ping\n\n");
/** Bytes a stream may queue for a slow client before it stops taking live events. */
const HIGH_WATER_BYTES = 64 * 1024;
const HUB_PAGE = 500;

/** One encoded SSE message per envelope, shared by every stream that sends it. */
const encoded = new WeakMap<EventEnvelope, Uint8Array>();
export function formatSseEvent(event: EventEnvelope): Uint8Array {
  let bytes = encoded.get(event);
  if (!bytes) {
    const type = String(event.type).replace(/[\r\n]/g, "");
    bytes = encoder.encode(`id: ${event.id}\nevent: ${type}\ndata: ${JSON.stringify(event)}\n\n`);
    encoded.set(event, bytes);
  }
  return bytes;
}

class Hub {
  readonly streams = new Set<EventStream>();
  /** Highest event id fanned out; null while stopped or not yet read. */
  head: number | null = null;
  private starting: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private unchange: (() => void) | null = null;
  private busSubscription: string | null = null;
  /** Highest committed id announced on the bus; read up to it when it passes the head. */
  private announced = 0;
  private wakeQueued = false;
  private version: string | null = null;
  /** The change listener's epoch when the hub last read (PostgreSQL; see poll). */
  private notifiedEpoch: number | null = null;
  private reading = false;
  private again = false;
  /** Bumped on every stop, so work begun before it cannot touch a later run. */
  private generation = 0;

  join(stream: EventStream, pollMs: number): void {
    this.streams.add(stream);
    if (this.timer) return;
    this.unlisten = onCommittedEvents((events) => this.onLocalCommit(events));
    this.busSubscription = bus.subscribe("*", (envelope) => this.onBusEvent(envelope), { name: "sse-hub" });
    this.unchange = onDataChange(() => this.poll());
    this.timer = setInterval(() => this.poll(), pollMs);
    this.timer.unref();
  }

  leave(stream: EventStream): void {
    if (!this.streams.delete(stream) || this.streams.size > 0) return;
    this.generation++;
    if (this.timer) clearInterval(this.timer);
    this.unlisten?.();
    this.unchange?.();
    this.unchange = null;
    if (this.busSubscription) bus.unsubscribe(this.busSubscription);
    this.timer = null;
    this.unlisten = null;
    this.busSubscription = null;
    this.announced = 0;
    this.head = null;
    this.starting = null;
    this.version = null;
    this.notifiedEpoch = null;
    this.reading = false;
    this.again = false;
  }

  /** The head, reading it (`MAX(id)`) on first use; a stream's backlog ends there. */
  async ready(): Promise<number> {
    if (this.head !== null) return this.head;
    if (!this.starting) {
      const generation = this.generation;
      // Taken before the read: a commit in between moves it, and the next poll catches up.
      this.version = safeDataVersion();
      this.notifiedEpoch = notifiedEvents()?.epoch ?? null;
      const start = feedDb()
        .event.aggregate({ _max: { id: true } })
        .then((r) => {
          if (generation === this.generation && this.head === null) {
            this.head = r._max.id ?? 0;
            if (this.announced > this.head) void this.read(); // announced while the head was being read
          }
          return this.head ?? r._max.id ?? 0;
        });
      this.starting = start;
      start.catch(() => {
        if (this.starting === start) this.starting = null;
      });
    }
    return this.starting;
  }

  state() {
    return {
      streams: this.streams.size,
      polling: this.timer !== null,
      listening: this.unlisten !== null && this.busSubscription !== null,
      head: this.head,
    };
  }

  private onLocalCommit(events: EventEnvelope[]): void {
    if (this.head === null || events.length === 0) return;
    const contiguous = events.every((e, i) => e.id === this.head! + 1 + i);
    if (contiguous) this.dispatch(events);
    else if (events[events.length - 1].id > this.head) void this.read();
  }

  /**
   * Deferred to a microtask: a commit of this process is announced on the bus just before
   * `onLocalCommit` hears of it, which usually dispatches it without a query; only what is still
   * beyond the head after that is read.
   */
  private onBusEvent(envelope: BusEnvelope): void {
    if (envelope.id <= this.announced) return; // ephemeral (id ≤ 0) or already announced
    this.announced = envelope.id;
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    queueMicrotask(() => {
      this.wakeQueued = false;
      if (this.head !== null && this.announced > this.head) void this.read();
    });
  }

  private poll(): void {
    if (this.head === null) return;
    const version = safeDataVersion();
    if (version === this.version) return;
    this.version = version;
    // PostgreSQL: each commit's notification names its last event id, so a change that brought no
    // event past the head needs no read, nor one up to this process's own commit in flight: its
    // notification may arrive before `mutate` hears COMMIT succeed, and onLocalCommit then sends
    // it (or reads, if an id of another process came in between). After a reconnect (new epoch)
    // notifications may have been lost: read.
    const notified = notifiedEvents();
    if (notified && notified.epoch === this.notifiedEpoch && notified.lastEventId <= Math.max(this.head, notified.localCommitting)) return;
    this.notifiedEpoch = notified?.epoch ?? null;
    void this.read();
  }

  private async read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    const generation = this.generation;
    this.reading = true;
    try {
      do {
        this.again = false;
        for (;;) {
          if (generation !== this.generation || this.head === null) return;
          const rows = await feedDb().event.findMany({ where: { id: { gt: this.head } }, orderBy: { id: "asc" }, take: HUB_PAGE });
          if (generation !== this.generation) return;
          this.dispatch(rows.map(toEnvelope));
          if (rows.length < HUB_PAGE) break;
        }
      } while (this.again);
    } catch (err) {
      logger.warn({ err }, "event stream hub: reading new events failed; retrying on the next change");
      this.version = null; // make the next poll read again
      this.notifiedEpoch = null;
    } finally {
      if (generation === this.generation) this.reading = false;
    }
  }

  private dispatch(events: EventEnvelope[]): void {
    const head = this.head;
    if (head === null) return;
    const fresh = events.filter((e) => e.id > head);
    if (fresh.length === 0) return;
    this.head = fresh[fresh.length - 1].id;
    for (const stream of [...this.streams]) stream.deliver(fresh);
  }
}

function safeDataVersion(): string | null {
  try {
    return dataVersion();
  } catch {
    return null;
  }
}

const hub = new Hub();

/** Open SSE connections in this process (for the Event system status page). */
export function openEventStreamCount(): number {
  return hub.streams.size;
}

/** For tests and the status page: is the hub running, how many streams, where is its head. */
export function eventStreamHubState() {
  return hub.state();
}

export interface OpenEventStreamArgs {
  /** Exclusive cursor; undefined = start at the current head (live events only). */
  after?: number;
  filter?: TypeFilter;
  signal: AbortSignal;
  options?: Partial<EventStreamOptions>;
}

class EventStream {
  private covered: number;
  private live = false;
  private closed = false;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private wake: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lifetime: NodeJS.Timeout | null = null;
  private stalledSince: number | null = null;
  private readonly onAbort = () => this.close("aborted");
  readonly body: ReadableStream<Uint8Array>;

  constructor(
    private readonly args: OpenEventStreamArgs,
    private readonly options: EventStreamOptions,
  ) {
    this.covered = args.after ?? 0;
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.wakeUp(),
        cancel: () => this.close("cancelled"),
      },
      { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
    );
  }

  open(): void {
    const { signal } = this.args;
    if (signal.aborted) return this.close("aborted");
    signal.addEventListener("abort", this.onAbort, { once: true });
    hub.join(this, this.options.pollMs);
    this.controller.enqueue(encoder.encode(`: connected\nretry: ${this.options.retryMs}\n\n`));
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.lifetime = setTimeout(() => this.close("lifetime"), this.options.maxMs);
    this.lifetime.unref();
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      const head = await hub.ready();
      if (this.closed) return;
      if (this.args.after === undefined) {
        // No cursor: live from here. A data-less `id:` sets EventSource's Last-Event-ID, so a
        // reconnect resumes here instead of missing what happened in between.
        this.covered = head;
        this.controller.enqueue(encoder.encode(`id: ${head}\n\n`));
      }
    } catch (err) {
      logger.warn({ err }, "event stream: reading the head failed; closing (the client reconnects)");
      return this.close("error");
    }
    await this.catchUp();
  }

  /** Backlog in pages, each read only when the client has room, until the hub's head. */
  private async catchUp(): Promise<void> {
    try {
      while (!this.closed) {
        if (this.backpressured()) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const bound = hub.head ?? (await hub.ready());
        if (this.closed) return;
        if (this.covered >= bound) {
          this.live = true; // same tick as the check: the hub's next dispatch comes to us
          return;
        }
        const page = await readFeed({ after: this.covered, limit: this.options.pageSize, filter: this.args.filter, upTo: bound });
        if (this.closed) return;
        for (const event of page.events) this.controller.enqueue(formatSseEvent(event));
        // No progress can only mean the rows up to `bound` are gone (retention): move on.
        this.covered = page.scannedTo > this.covered ? page.scannedTo : bound;
      }
    } catch (err) {
      logger.warn({ err }, "event stream: reading the backlog failed; closing (the client reconnects)");
      this.close("error");
    }
  }

  /** Live events from the hub, in id order, each once. */
  deliver(events: EventEnvelope[]): void {
    if (!this.live || this.closed) return;
    const filter = this.args.filter;
    for (const event of events) {
      if (event.id <= this.covered) continue;
      if (filter && !filter.test(event.type)) {
        this.covered = event.id;
        continue;
      }
      if (this.backpressured()) {
        // The client is behind: stop queueing; read from the database once it has room.
        this.live = false;
        void this.catchUp();
        return;
      }
      this.controller.enqueue(formatSseEvent(event));
      this.covered = event.id;
    }
  }

  private beat(): void {
    if (this.closed) return;
    if (this.backpressured()) {
      this.stalledSince ??= Date.now();
      if (Date.now() - this.stalledSince >= this.options.stallMs) this.close("stalled");
      return;
    }
    this.stalledSince = null;
    this.controller.enqueue(PING);
  }

  private backpressured(): boolean {
    return (this.controller.desiredSize ?? 0) <= 0;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.live = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.lifetime) clearTimeout(this.lifetime);
    this.heartbeat = null;
    this.lifetime = null;
    this.args.signal.removeEventListener("abort", this.onAbort);
    hub.leave(this);
    this.wakeUp();
    try {
      this.controller.close();
    } catch {
      // already cancelled by the reader
    }
    logger.debug({ reason, covered: this.covered }, "event stream closed");
  }
}

/**
 * A `text/event-stream` Response, returned at once (headers first); backlog and live events
 * follow in the body. Messages: `id: <event id>\nevent: <type>\ndata: <envelope JSON>\n\n`.
 */
export function openEventStream(args: OpenEventStreamArgs): Response {
  const stream = new EventStream(args, { ...eventStreamOptions(), ...args.options });
  stream.open();
  return new Response(stream.body, { status: 200, headers: SSE_HEADERS });
}
