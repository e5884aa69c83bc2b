import type { QueryClient } from "@tanstack/react-query";
import { toast } from "@/components/ui/toast";
import { ApiRequestError } from "@/lib/client/api";
import { DeviceOutbox } from "@/lib/client/outbox/outbox";
import { openOutboxStore } from "@/lib/client/outbox/store";
import {
  applyToBatch,
  applyToBatchList,
  applyToInventory,
  batchIdOfScope,
  describeWrite,
  queryKeysForWrite,
} from "@/lib/client/outbox/effects";
import type { OutboxEntry, OutboxRequest, OutboxSnapshot } from "@/lib/client/outbox/types";
import { queryKeys } from "@/lib/client/query-keys";
import { DRAIN_OUTBOX, OUTBOX_SYNC_TAG } from "@/lib/pwa/cache-names";
import type { Batch } from "@/lib/domain/batches/batch-response";
import type { InventoryResponse } from "@/lib/domain/supplies/inventory-response";
import type { BatchPageData } from "@/lib/client/batches";

export interface EnqueueInput {
  kind: string;
  scope: string;
  request: OutboxRequest;
  /** Shown in the pending/conflicts lists (e.g. `{ label: strain }`). */
  meta?: Record<string, unknown>;
}

/** How an enqueued write ended, as far as this page saw it. */
export type WriteResult<T> = { status: "applied"; body: T } | { status: "queued" };

/** While a long queue drains, the screen is refreshed from the server at least this often. */
const MAX_REFETCH_DELAY_MS = 2_000;

const EMPTY: OutboxSnapshot = { user: null, entries: [], pending: 0, conflicts: 0, paused: null, retryAt: null, lastError: null };

/**
 * The page's side of the device outbox (lib/client/outbox/outbox.ts does the storing and sending):
 * shows a write the moment it is made (before IndexedDB has it), answers the page that made it
 * when the server does, moves an applied write's effect into the cached data and refetches, and
 * tells the user about a rejection nobody on the page is waiting for.
 */
export class OutboxClient {
  private outbox: DeviceOutbox | null = null;
  private readonly ready: Promise<DeviceOutbox | null>;
  /** Writes made on this page that IndexedDB has not confirmed yet (shown already). */
  private provisional: OutboxEntry[] = [];
  private nextProvisional = -1;
  private waiters = new Map<
    string,
    {
      resolve: (body: unknown) => void;
      reject: (error: ApiRequestError) => void;
      /** The outbox cannot send now (offline, backing off, signed out): stop waiting. */
      queued: () => void;
      discardOnReject: boolean;
    }
  >();
  private listeners = new Set<() => void>();
  private snapshot: OutboxSnapshot = EMPTY;
  /** Whether a Background Sync was asked for since sending last failed. */
  private syncRequested = false;
  private staleKeys = new Map<string, readonly unknown[]>();
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private byScope = new Map<string, readonly OutboxEntry[]>();

  constructor(
    private readonly user: string,
    private readonly queryClient: QueryClient,
  ) {
    this.ready = this.open();
  }

  private async open(): Promise<DeviceOutbox | null> {
    if (typeof indexedDB === "undefined") return null;
    try {
      const store = await openOutboxStore();
      const channel = typeof BroadcastChannel === "undefined" ? undefined : new BroadcastChannel("preroll-outbox");
      const outbox = new DeviceOutbox({
        store,
        fetch: (input, init) => window.fetch(input, init),
        locks: typeof navigator !== "undefined" && navigator.locks ? navigator.locks : undefined,
        channel,
        now: () => Date.now(),
        setTimeout: (fn, ms) => window.setTimeout(fn, ms),
        clearTimeout: (handle) => window.clearTimeout(handle as number),
        random: Math.random,
        newKey: () => crypto.randomUUID(),
        onApplied: (entry, body) => this.applied(entry, body),
        onRejected: (entry) => this.rejected(entry),
      });
      this.outbox = outbox;
      outbox.subscribe(() => this.refresh());
      outbox.setUser(this.user);
      outbox.start();
      listenForBackgroundSync(() => outbox.wake());
      // Ask the browser not to evict the queue under storage pressure.
      void navigator.storage?.persist?.().catch(() => undefined);
      this.refresh();
      return outbox;
    } catch {
      return null;
    }
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): OutboxSnapshot => this.snapshot;

  /** Pending (not rejected) writes of one scope, in order; the same array until they change. */
  pendingFor(scope: string): readonly OutboxEntry[] {
    let list = this.byScope.get(scope);
    if (!list) {
      list = this.snapshot.entries.filter((e) => e.scope === scope && e.status === "pending");
      this.byScope.set(scope, list);
    }
    return list;
  }

  /** Every pending write, for the board (all batches and the order). */
  allPending(): readonly OutboxEntry[] {
    return this.pendingFor("*all*");
  }

  /**
   * Whether a refetch of `key` should wait: while this device is sending writes that touch it, a
   * refetch could land between the server applying one and this page hearing so, and show it
   * twice. The last write's own refetch brings everything (other tablets' changes too). Offline
   * (nothing being sent) refetches go ahead: the pending writes are laid over whatever comes.
   */
  holdsRefetch(key: readonly unknown[]): boolean {
    const s = this.snapshot;
    if (s.pending === 0 || s.paused || s.retryAt !== null || (typeof navigator !== "undefined" && !navigator.onLine)) return false;
    const [resource, kind, id] = key;
    const pending = this.allPending();
    if (resource === "batches") {
      if (typeof id === "string" && kind !== "active") return pending.some((e) => e.scope === `batch:${id}`);
      return pending.some((e) => e.scope.startsWith("batch:") || e.scope === "board");
    }
    if (resource === "inventory") return pending.some((e) => e.scope === "inventory");
    return false;
  }

  private refresh() {
    const stored = this.outbox?.getSnapshot() ?? { ...EMPTY, user: this.user };
    // A write IndexedDB now holds is shown from there: never twice (a tap would count double).
    const storedIds = new Set(stored.entries.map((e) => e.meta.client_id));
    this.provisional = this.provisional.filter((e) => !storedIds.has(e.meta.client_id));
    const entries = this.provisional.length ? [...stored.entries, ...this.provisional] : stored.entries;
    this.snapshot = { ...stored, entries, pending: stored.pending + this.provisional.length };
    this.byScope = new Map();
    this.byScope.set(
      "*all*",
      entries.filter((e) => e.status === "pending"),
    );
    if (this.staleKeys.size > 0 && (stored.pending === 0 || stored.retryAt !== null || stored.paused)) this.refetchStale();
    const waiting = stored.retryAt !== null && stored.pending > 0;
    if (waiting && !this.syncRequested) requestBackgroundSync();
    this.syncRequested = waiting;
    if (stored.retryAt !== null || stored.paused) {
      // Nobody should wait for an answer that cannot come soon: a later one arrives as a toast.
      for (const [id, waiter] of this.waiters) {
        this.waiters.delete(id);
        waiter.queued();
      }
    }
    for (const listener of this.listeners) listener();
  }

  /**
   * Stores and sends a write; it shows at once. Resolves with the server's answer when it comes
   * within `waitMs`, else `queued` (offline, or slow: it is safe on the device and will be sent);
   * rejects with the server's error when the write was refused.
   */
  async enqueue<T>(input: EnqueueInput, options: { waitMs?: number; discardOnReject?: boolean } = {}): Promise<WriteResult<T>> {
    const { waitMs = 0, discardOnReject = false } = options;
    const clientId = crypto.randomUUID();
    const meta: Record<string, unknown> = { ...input.meta, client_id: clientId };
    const temp: OutboxEntry = {
      seq: this.nextProvisional--,
      idempotency_key: `pending:${clientId}`,
      user: this.user,
      kind: input.kind,
      scope: input.scope,
      request: input.request,
      meta,
      status: "pending",
      attempts: 0,
      last_error: null,
      rejection: null,
      created_at: Date.now(),
    };
    this.provisional = [...this.provisional, temp];
    this.refresh();
    let queued = () => undefined as void;
    const cannotSend = new Promise<WriteResult<T>>((resolve) => {
      queued = () => resolve({ status: "queued" });
    });
    const answered =
      waitMs > 0
        ? new Promise<unknown>((resolve, reject) => this.waiters.set(clientId, { resolve, reject, queued, discardOnReject }))
        : null;
    const outbox = await this.ready;
    const id = batchIdOfScope(input.scope);
    if (id && meta.label === undefined) {
      // Name the batch in the pending and conflicts lists.
      const cached = this.queryClient.getQueryData<BatchPageData>(queryKeys.batches.detail(id))?.batch;
      meta.label = cached?.strain ?? this.queryClient.getQueryData<Batch[]>(queryKeys.batches.active)?.find((b) => b.id === id)?.strain;
    }
    if (!outbox) {
      this.provisional = this.provisional.filter((e) => e !== temp);
      this.waiters.delete(clientId);
      this.refresh();
      throw new ApiRequestError(0, "no_storage", "This browser cannot keep changes on the device");
    }
    await outbox.enqueue({ kind: input.kind, scope: input.scope, request: input.request, meta });
    this.provisional = this.provisional.filter((e) => e !== temp);
    this.refresh();
    if (!answered) return { status: "queued" };
    let timer: number | undefined;
    const timeout = new Promise<WriteResult<T>>((resolve) => {
      timer = window.setTimeout(() => {
        // Nobody waits any more: a later refusal is shown as a toast and in the conflicts list.
        this.waiters.delete(clientId);
        resolve({ status: "queued" });
      }, waitMs);
    });
    try {
      if (!navigator.onLine) queued();
      return await Promise.race([answered.then((body) => ({ status: "applied", body: body as T }) as const), timeout, cannotSend]);
    } finally {
      window.clearTimeout(timer);
    }
  }

  private applied(entry: OutboxEntry, body: unknown) {
    // Move the write's effect into the cached server data, then refetch: the screen never shows
    // the count without it in between.
    const id = batchIdOfScope(entry.scope);
    // A fetch that started before the server applied the write would land without it: drop it.
    for (const key of queryKeysForWrite(entry)) void this.queryClient.cancelQueries({ queryKey: key });
    if (id) {
      this.queryClient.setQueryData<BatchPageData>(queryKeys.batches.detail(id), (old) =>
        old ? { ...old, batch: applyToBatch(old.batch, entry) } : old,
      );
    }
    this.queryClient.setQueryData<Batch[]>(queryKeys.batches.active, (old) => (old ? applyToBatchList(old, [entry]) : old));
    this.queryClient.setQueryData<InventoryResponse>(queryKeys.inventory.papers, (old) => (old ? applyToInventory(old, [entry]) : old));
    for (const key of queryKeysForWrite(entry)) this.staleKeys.set(JSON.stringify(key), key);
    // One refetch when the queue is sent (refresh() below), not one per write: 50 queued taps would
    // otherwise cost 150 requests, and a refetch mid-drain could count a write twice for a moment.
    this.staleTimer ??= setTimeout(() => this.refetchStale(), MAX_REFETCH_DELAY_MS);
    const clientId = entry.meta.client_id as string | undefined;
    const waiter = clientId ? this.waiters.get(clientId) : undefined;
    if (waiter) {
      this.waiters.delete(clientId!);
      waiter.resolve(body);
    }
  }

  /** Refetches what applied writes touched (their effect is already in the cache). */
  private refetchStale() {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = null;
    const keys = [...this.staleKeys.values()];
    this.staleKeys.clear();
    for (const key of keys) void this.queryClient.invalidateQueries({ queryKey: key });
  }

  private rejected(entry: OutboxEntry) {
    const r = entry.rejection;
    const error = new ApiRequestError(r?.status ?? 400, r?.code ?? undefined, r?.message ?? "Refused by the server", r?.fields ?? {});
    for (const key of queryKeysForWrite(entry)) void this.queryClient.invalidateQueries({ queryKey: key });
    const clientId = entry.meta.client_id as string | undefined;
    const waiter = clientId ? this.waiters.get(clientId) : undefined;
    if (waiter) {
      this.waiters.delete(clientId!);
      // The form that sent it shows the message next to its fields; the user corrects and resends.
      if (waiter.discardOnReject) void this.discard(entry.seq);
      waiter.reject(error);
      return;
    }
    toast.error(`Not applied: ${describeWrite(entry)}`, { description: error.message, id: `conflict-${entry.seq}` });
  }

  async discard(seq: number) {
    await (await this.ready)?.discard(seq);
  }

  async retry(seq: number) {
    await (await this.ready)?.retry(seq);
  }

  async resumeAfterSignIn() {
    await (await this.ready)?.resumeAfterSignIn();
  }

  stop() {
    this.outbox?.stop();
  }
}

/**
 * Background Sync, where the browser has it (Chromium): while writes wait after a failed send,
 * ask for a `sync` event, which the browser fires when it believes the network is back; the
 * worker passes it on as DRAIN_OUTBOX. An extra wake-up only (see DeviceOutbox.start for the rest).
 */
function requestBackgroundSync(): void {
  if (typeof navigator === "undefined" || !navigator.serviceWorker?.controller) return;
  void navigator.serviceWorker.ready
    .then((registration) =>
      (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(OUTBOX_SYNC_TAG),
    )
    .catch(() => undefined);
}

function listenForBackgroundSync(wake: () => void): void {
  if (typeof navigator === "undefined" || !navigator.serviceWorker) return;
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === DRAIN_OUTBOX) wake();
  });
}
