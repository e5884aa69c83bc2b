/**
 * The client end of `GET /api/events/stream`, with its own reconnect and back-off.
 *
 * Why not EventSource's built-in reconnect: a non-200 answer (401 after a session expires, 429,
 * a proxy's 502) closes an EventSource for good, and a reconnect it does by itself is invisible
 * to us. So on every error the source is closed and a new one is opened after a back-off, with
 * the last event id as `?after=` (a new EventSource does not send `Last-Event-ID`): the server
 * replays what was missed, in order.
 *
 * Pure of React and of the browser's globals (they come in `deps`), so the unit tests drive it
 * with a fake EventSource and fake timers.
 */

export type LiveStatus = "connecting" | "live" | "down";

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  addEventListener(type: string, listener: (ev: { data: string; lastEventId: string }) => void): void;
  close(): void;
}

export interface LiveConnectionDeps {
  createEventSource(url: string): EventSourceLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export interface LiveConnectionOptions {
  /** Stream path, e.g. `/api/events/stream`. */
  path: string;
  /** Server-side type filter (`?type=`). */
  globs: readonly string[];
  /** Named SSE events to listen for. */
  types: readonly string[];
  onEvent(type: string, envelope: unknown): void;
  onStatus(status: LiveStatus): void;
  deps: LiveConnectionDeps;
  /** Back-off: first delay, cap (ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A drop shorter than this (the server's periodic end of a stream) does not show as "down". */
  graceMs?: number;
}

/** Exponential back-off with ±20 % jitter: base, 2×base, 4×base … capped at max. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export function streamUrl(path: string, globs: readonly string[], after: string | null): string {
  const params = new URLSearchParams();
  if (globs.length > 0) params.set("type", globs.join(","));
  if (after !== null) params.set("after", after);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export class LiveConnection {
  private source: EventSourceLike | null = null;
  private lastId: string | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private graceTimer: unknown = null;
  private status: LiveStatus = "connecting";
  private stopped = true;
  /** True between an `open` and the next error. */
  private connected = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly graceMs: number;

  constructor(private readonly options: LiveConnectionOptions) {
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.graceMs = options.graceMs ?? 2_000;
  }

  /** The id of the last event received (the resume cursor). */
  get cursor(): string | null {
    return this.lastId;
  }

  get currentStatus(): LiveStatus {
    return this.status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.closeSource();
  }

  /** Reconnect now (e.g. the browser says it is online again), skipping the back-off wait. */
  retryNow(): void {
    if (this.stopped || this.status === "live") return;
    if (this.retryTimer !== null) {
      this.options.deps.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.closeSource();
    this.open();
  }

  private open(): void {
    const { deps, path, globs, types } = this.options;
    const source = deps.createEventSource(streamUrl(path, globs, this.lastId));
    this.source = source;
    source.onopen = () => {
      if (this.source !== source) return;
      this.attempt = 0;
      this.connected = true;
      if (this.graceTimer !== null) {
        deps.clearTimeout(this.graceTimer);
        this.graceTimer = null;
      }
      this.setStatus("live");
    };
    source.onerror = () => {
      if (this.source !== source) return;
      this.connected = false;
      this.closeSource();
      this.scheduleReconnect();
    };
    for (const type of types) {
      source.addEventListener(type, (ev) => {
        if (this.source !== source) return;
        if (ev.lastEventId) this.lastId = ev.lastEventId;
        let envelope: unknown = null;
        try {
          envelope = JSON.parse(ev.data);
        } catch {
          return; // not ours to interpret; the cursor still moved past it
        }
        this.options.onEvent(type, envelope);
      });
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const { deps } = this.options;
    const delay = backoffDelay(this.attempt, this.baseDelayMs, this.maxDelayMs, deps.random);
    this.attempt += 1;
    // A drop that is over within the grace period (the server ends streams every 30 min) is not news.
    if (this.status === "live" && this.graceTimer === null) {
      this.graceTimer = deps.setTimeout(() => {
        this.graceTimer = null;
        if (!this.connected) this.setStatus("down");
      }, this.graceMs);
    } else if (this.status !== "live") {
      this.setStatus("down");
    }
    this.retryTimer = deps.setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private closeSource(): void {
    if (this.source) {
      this.source.onopen = null;
      this.source.onerror = null;
      this.source.close();
      this.source = null;
    }
  }

  private clearTimers(): void {
    for (const t of [this.retryTimer, this.graceTimer]) if (t !== null) this.options.deps.clearTimeout(t);
    this.retryTimer = null;
    this.graceTimer = null;
  }
}
