import { backoffDelay } from "../live/live-connection";
import { classifyNetworkError, classifyResponse } from "./classify";
import type { OutboxStore } from "./store";
import type { OutboxEntry, OutboxInput, OutboxSnapshot, SendOutcome } from "./types";

/**
 * The device outbox (UI-GUIDE §4, SPEC §6). Every floor mutation is written to IndexedDB before it
 * is sent (even online), then sent by one drainer across the device's tabs (a Web Lock), strictly
 * in `seq` order, with the Idempotency-Key it was stored with, and removed only once the server
 * answered. A transient failure stops the whole queue (order is kept) and retries later with the
 * same key; a refusal turns the entry into a conflict that holds only its own scope.
 *
 * Pure of React and of the browser's globals (they come in `deps`), so unit tests drive it with
 * fake-indexeddb, a scripted fetch, a fake lock manager and a manual clock.
 */

export const OUTBOX_LOCK_NAME = "preroll-outbox-drain";
const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;

/** The `navigator.locks` shape the outbox needs. */
export interface OutboxLocks {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

/** The BroadcastChannel shape the outbox needs (tells the other tabs "the store changed"). */
export interface OutboxChannel {
  postMessage(message: unknown): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

/** Wake-up sources: `online` skips the back-off wait, `visible` drains if allowed. */
export interface OutboxWakeHandlers {
  online(): void;
  visible(): void;
}

/**
 * Functions are called unbound, so pass arrows or bound functions (`() => crypto.randomUUID()`):
 * `crypto.randomUUID` called as a method of another object throws "Illegal invocation".
 */
export interface DeviceOutboxDeps {
  store: OutboxStore;
  fetch: typeof fetch;
  /** `navigator.locks`; absent → this tab acts as the sole drainer. */
  locks?: OutboxLocks;
  /** A BroadcastChannel shared by the tabs; absent → other tabs learn of changes on their next poll. */
  channel?: OutboxChannel;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
  newKey(): string;
  /** Abort a request after this long (default 15 s); it is then retried with the same key. */
  requestTimeoutMs?: number;
  /** Safety-net drain period while started (default 30 s). */
  pollMs?: number;
  /** Subscribes the wake-ups, returns the unsubscribe. Default: `window` online / `document` visibilitychange when present. */
  listen?(handlers: OutboxWakeHandlers): () => void;
  onApplied?(entry: OutboxEntry, body: unknown): void;
  onRejected?(entry: OutboxEntry): void;
  onChange?(): void;
}

interface BackoffState {
  failures: number;
  retryAt: number;
  lastError: string;
}

/** Posted on the channel after every change; `backoff` only by the drainer, so every tab waits alike. */
export interface OutboxChannelMessage {
  type: "changed";
  user: string | null;
  backoff?: BackoffState | null;
}

/**
 * The entry to send next: the lowest-seq pending entry whose scope has no earlier conflict (a
 * refused change holds the later changes of what it touches; other scopes go on).
 */
export function nextToSend(entries: readonly OutboxEntry[]): OutboxEntry | undefined {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const held = new Set<string>();
  for (const e of sorted) {
    if (e.status === "conflict") held.add(e.scope);
    else if (!held.has(e.scope)) return e;
  }
  return undefined;
}

function defaultListen(handlers: OutboxWakeHandlers): () => void {
  if (typeof window === "undefined" || typeof document === "undefined") return () => undefined;
  const online = () => handlers.online();
  const visibility = () => {
    if (document.visibilityState === "visible") handlers.visible();
  };
  window.addEventListener("online", online);
  document.addEventListener("visibilitychange", visibility);
  return () => {
    window.removeEventListener("online", online);
    document.removeEventListener("visibilitychange", visibility);
  };
}

/** The browser's own deps (call only in the browser). */
export function browserOutboxDeps(
  store: OutboxStore,
  callbacks: Pick<DeviceOutboxDeps, "onApplied" | "onRejected" | "onChange"> = {},
): DeviceOutboxDeps {
  return {
    store,
    fetch: (input, init) => fetch(input, init),
    locks: typeof navigator !== "undefined" && navigator.locks ? navigator.locks : undefined,
    channel: typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("preroll-outbox") : undefined,
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => Math.random(),
    newKey: () => crypto.randomUUID(),
    ...callbacks,
  };
}

export class DeviceOutbox {
  private user: string | null = null;
  private entries: readonly OutboxEntry[] = [];
  private paused: "auth" | null = null;
  private failures = 0;
  private retryAt: number | null = null;
  private lastError: string | null = null;
  private retryTimer: unknown = null;
  private pollTimer: unknown = null;
  private unlisten: (() => void) | null = null;
  private started = false;
  private running: Promise<void> | null = null;
  /** A drain was asked for while one ran: run another pass (the running one may have read the store already). */
  private again = false;
  /** Store reads are numbered so a slow older read never overwrites a newer one. */
  private readsStarted = 0;
  private readApplied = 0;
  private readonly listeners = new Set<() => void>();
  private snapshot: OutboxSnapshot;
  private snapshotKey = "";
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(private readonly deps: DeviceOutboxDeps) {
    this.timeoutMs = deps.requestTimeoutMs ?? 15_000;
    this.pollMs = deps.pollMs ?? 30_000;
    this.snapshot = this.buildSnapshot();
    this.snapshotKey = JSON.stringify(this.snapshot);
  }

  // ---- public API ----

  /** Which user's entries this device sends; other users' entries stay stored, never sent. */
  setUser(user: string | null): void {
    if (user !== this.user) {
      this.user = user;
      this.paused = null;
      this.resetBackoff();
      this.entries = [];
      this.emit();
    }
    void this.reload();
    void this.drain();
  }

  /** Stores the change (resolves once it is committed to IndexedDB), then starts sending it. */
  async enqueue(input: OutboxInput): Promise<OutboxEntry> {
    const user = this.user;
    if (user === null) throw new Error("Not signed in: the change cannot be queued");
    const entry = await this.deps.store.add({
      idempotency_key: this.call(this.deps.newKey),
      user,
      kind: input.kind,
      scope: input.scope,
      request: input.request,
      meta: input.meta,
      status: "pending",
      attempts: 0,
      last_error: null,
      rejection: null,
      created_at: this.call(this.deps.now),
    });
    await this.reload();
    this.post();
    void this.drain();
    return entry;
  }

  /** Sends what can be sent. Resolves when this tab's pass is over (at once when it may not drain). */
  drain(): Promise<void> {
    if (!this.canDrain()) return this.running ?? Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.drainOnce();
          } catch (err) {
            // IndexedDB failed under us: treat like a transient error so it is tried again later.
            this.scheduleRetry({ kind: "retry", error: `Outbox storage error: ${String(err)}`, retryAfterMs: null });
            this.emit();
          }
        } while (this.again && this.canDrain());
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run;
  }

  /** Drops an entry of the current user (a conflict the user gave up on): its scope is released. */
  async discard(seq: number): Promise<void> {
    const entry = await this.deps.store.get(seq);
    if (!entry || entry.user !== this.user) return;
    await this.deps.store.remove(seq);
    await this.reload();
    this.post();
    void this.drain();
  }

  /** Sends a conflict again, with a NEW key: the server stored its refusal under the old one. */
  async retry(seq: number): Promise<void> {
    const entry = await this.deps.store.get(seq);
    if (!entry || entry.user !== this.user || entry.status !== "conflict") return;
    await this.deps.store.update(seq, {
      status: "pending",
      idempotency_key: this.call(this.deps.newKey),
      rejection: null,
      last_error: null,
      attempts: 0,
    });
    await this.reload();
    this.post();
    void this.drain();
  }

  /** After a new sign-in as the same user: send again. */
  resumeAfterSignIn(): void {
    this.paused = null;
    this.emit();
    void this.drain();
  }

  /** Drops every entry of the current user. */
  async discardAll(): Promise<void> {
    const user = this.user;
    if (user === null) return;
    await this.deps.store.removeAllFor(user);
    await this.reload();
    this.post();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Same object until something changes (useSyncExternalStore). */
  getSnapshot(): OutboxSnapshot {
    return this.snapshot;
  }

  /** Wires the wake-ups (online, tab visible, a periodic poll) and the channel, then drains. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.deps.channel) this.deps.channel.onmessage = (ev) => this.onMessage(ev.data);
    const listen = this.deps.listen ?? defaultListen;
    this.unlisten = listen({ online: () => this.wake(), visible: () => void this.drain() });
    this.schedulePoll();
    void this.drain();
  }

  stop(): void {
    this.started = false;
    if (this.deps.channel) this.deps.channel.onmessage = null;
    this.unlisten?.();
    this.unlisten = null;
    if (this.pollTimer !== null) this.clearTimer(this.pollTimer);
    this.pollTimer = null;
    this.clearRetryTimer();
  }

  // ---- draining ----

  private canDrain(): boolean {
    if (this.user === null || this.paused !== null) return false;
    return this.retryAt === null || this.retryAt <= this.call(this.deps.now);
  }

  private async drainOnce(): Promise<void> {
    const locks = this.deps.locks;
    if (!locks) return this.sendLoop();
    await locks.request(OUTBOX_LOCK_NAME, { ifAvailable: true }, async (lock) => {
      // Not granted: another tab drains; it re-reads the store on each step and our "changed" wakes it.
      if (lock === null) return;
      await this.sendLoop();
    });
  }

  private async sendLoop(): Promise<void> {
    for (;;) {
      const user = this.user;
      if (user === null || !this.canDrain()) return;
      // Re-read every step: other tabs add, discard and retry entries while we send.
      const entries = await this.read(user);
      if (this.user !== user) return;
      const next = nextToSend(entries);
      if (!next) return;
      const outcome = await this.send(next);
      await this.record(next, outcome);
      if (this.user === user) await this.reload();
      this.emit();
      this.post(true);
      if (outcome.kind === "auth" || outcome.kind === "retry") return;
    }
  }

  private async send(entry: OutboxEntry): Promise<SendOutcome> {
    const controller = new AbortController();
    const timer = this.setTimer(() => controller.abort(), this.timeoutMs);
    try {
      const res = await this.call(this.deps.fetch, entry.request.path, {
        method: entry.request.method,
        headers: { "content-type": "application/json", "idempotency-key": entry.idempotency_key },
        body: entry.request.body === undefined ? undefined : JSON.stringify(entry.request.body),
        credentials: "same-origin",
        signal: controller.signal,
      });
      const text = await res.text(); // still under the timeout: a stalled body is a lost answer too
      // A redirected mutation (a captive portal, a proxy's login page) never reached the route.
      if (res.redirected) return { kind: "retry", error: "The request was redirected away from the server", retryAfterMs: null };
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return classifyResponse(res.status, body, res.headers.get("retry-after"), this.call(this.deps.now));
    } catch (err) {
      return classifyNetworkError(err);
    } finally {
      this.clearTimer(timer);
    }
  }

  private async record(entry: OutboxEntry, outcome: SendOutcome): Promise<void> {
    const { store } = this.deps;
    switch (outcome.kind) {
      case "applied":
        await store.remove(entry.seq);
        this.resetBackoff();
        this.safely(() => this.deps.onApplied?.(entry, outcome.body));
        return;
      case "rejected": {
        const updated = await store.update(entry.seq, {
          status: "conflict",
          rejection: outcome.rejection,
          attempts: entry.attempts + 1,
          last_error: null,
        });
        this.resetBackoff(); // the server answered: the link is fine
        if (updated) this.safely(() => this.deps.onRejected?.(updated));
        return;
      }
      case "auth":
        this.paused = "auth";
        return;
      case "retry":
        await store.update(entry.seq, { attempts: entry.attempts + 1, last_error: outcome.error });
        this.scheduleRetry(outcome);
        return;
    }
  }

  private scheduleRetry(outcome: Extract<SendOutcome, { kind: "retry" }>): void {
    this.failures += 1;
    this.lastError = outcome.error;
    const delay = outcome.retryAfterMs ?? backoffDelay(this.failures - 1, BASE_BACKOFF_MS, MAX_BACKOFF_MS, this.deps.random);
    this.setRetryTimer(this.call(this.deps.now) + delay);
  }

  private setRetryTimer(at: number): void {
    this.clearRetryTimer();
    this.retryAt = at;
    this.retryTimer = this.setTimer(
      () => {
        this.retryTimer = null;
        this.retryAt = null;
        this.emit();
        void this.drain();
      },
      Math.max(0, at - this.call(this.deps.now)),
    );
  }

  private clearRetryTimer(): void {
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  private resetBackoff(): void {
    this.failures = 0;
    this.lastError = null;
    this.clearRetryTimer();
  }

  /**
   * The network is back (`online`, or a Background Sync wake-up from the service worker): skip the
   * back-off wait (the failures count stays, so a new failure waits longer).
   */
  wake(): void {
    this.clearRetryTimer();
    this.emit();
    void this.drain();
  }

  private schedulePoll(): void {
    this.pollTimer = this.setTimer(() => {
      this.pollTimer = null;
      if (!this.started) return;
      void this.reload();
      void this.drain();
      this.schedulePoll();
    }, this.pollMs);
  }

  // ---- cross-tab ----

  private post(withBackoff = false): void {
    const channel = this.deps.channel;
    if (!channel) return;
    const message: OutboxChannelMessage = { type: "changed", user: this.user };
    if (withBackoff) {
      message.backoff =
        this.retryAt !== null && this.lastError !== null
          ? { failures: this.failures, retryAt: this.retryAt, lastError: this.lastError }
          : null;
    }
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel (tab going away) must not break the drain.
    }
  }

  private onMessage(data: unknown): void {
    const msg = data as Partial<OutboxChannelMessage> | null;
    if (!msg || msg.type !== "changed" || msg.user !== this.user) return;
    if (msg.backoff === null) this.resetBackoff();
    else if (msg.backoff && msg.backoff.retryAt > this.call(this.deps.now)) {
      // Wait like the drainer does, or every tab would retry at once after each failure.
      this.failures = msg.backoff.failures;
      this.lastError = msg.backoff.lastError;
      this.setRetryTimer(msg.backoff.retryAt);
    }
    void this.reload();
    // The drainer may have finished just before our entry landed: try (the lock keeps it to one tab).
    void this.drain();
  }

  // ---- snapshot ----

  /** Reads the user's entries and shows them, unless a newer read already landed. */
  private async read(user: string): Promise<OutboxEntry[]> {
    const n = ++this.readsStarted;
    const entries = await this.deps.store.list(user);
    if (this.user === user && n > this.readApplied) {
      this.readApplied = n;
      this.entries = entries;
      this.emit();
    }
    return entries;
  }

  private async reload(): Promise<void> {
    const user = this.user;
    if (user === null) {
      this.entries = [];
      this.emit();
      return;
    }
    try {
      await this.read(user);
    } catch (err) {
      this.lastError = `Outbox storage error: ${String(err)}`;
      this.emit();
    }
  }

  private buildSnapshot(): OutboxSnapshot {
    const entries = this.entries;
    return {
      user: this.user,
      entries,
      pending: entries.filter((e) => e.status === "pending").length,
      conflicts: entries.filter((e) => e.status === "conflict").length,
      paused: this.paused,
      retryAt: this.retryAt,
      lastError: this.lastError,
    };
  }

  private emit(): void {
    const next = this.buildSnapshot();
    const key = JSON.stringify(next);
    if (key === this.snapshotKey) return; // same content: keep the identity (no re-render)
    this.snapshot = next;
    this.snapshotKey = key;
    for (const listener of [...this.listeners]) this.safely(listener);
    this.safely(() => this.deps.onChange?.());
  }

  // ---- helpers ----

  /** Calls a dep unbound: browser built-ins (fetch, setTimeout) throw when called as methods of `deps`. */
  private call<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    return fn(...args);
  }

  private setTimer(fn: () => void, ms: number): unknown {
    return this.call(this.deps.setTimeout, fn, ms);
  }

  private clearTimer(handle: unknown): void {
    this.call(this.deps.clearTimeout, handle);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error("outbox listener failed", err);
    }
  }
}
