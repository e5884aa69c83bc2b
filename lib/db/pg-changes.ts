import pg from "pg";
import { databaseUrl, isPostgresUrl } from "@/lib/db/client";
import { logger } from "@/lib/log";

/**
 * Change detection on PostgreSQL (issue [12] item 3), the counterpart of SQLite's
 * `PRAGMA data_version`: one dedicated connection per process runs `LISTEN preroll_changes`.
 * `mutate` sends `pg_notify('preroll_changes', <last event id>)` inside its transaction, and the
 * events trigger does for writes that bypass it; PostgreSQL delivers a notification only on
 * commit, in commit order. Every notification bumps a local version and wakes the subscribers
 * (the delivery loop, the SSE hub); memoised reads key on the version.
 *
 * While the connection is down (not yet connected, or dropped) `changeToken()` returns null and
 * callers fall back to short time buckets; a warning is logged once per outage, and the listener
 * reconnects with back-off. A reconnect bumps the version: notifications sent meanwhile are lost.
 */

export const CHANGES_CHANNEL = "preroll_changes";
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

type Listener = () => void;

interface ChangesState {
  url: string | null;
  client: pg.Client | null;
  connected: boolean;
  /** Bumped by every notification, local commit and reconnect. */
  version: number;
  /** Highest event id seen in a notification payload. */
  lastEventId: number;
  /** Highest event id a commit of this process is about to notify (set before its COMMIT). */
  localCommitting: number;
  /** Bumped whenever notifications may have been missed (connected, dropped): `lastEventId` alone is then no proof. */
  epoch: number;
  notifications: number;
  listeners: Set<Listener>;
  retryMs: number;
  retryTimer: NodeJS.Timeout | null;
  /** An outage has been logged and not yet ended. */
  warned: boolean;
  /** Backend pid of the LISTEN connection (tests terminate it). */
  pid: number | null;
}

/**
 * On globalThis: Next compiles instrumentation and each route as separate entries with their own
 * copy of this module, and the process must still hold one LISTEN connection and one version.
 */
const globalForChanges = globalThis as unknown as { __prerollPgChanges?: ChangesState };
const state: ChangesState = (globalForChanges.__prerollPgChanges ??= {
  url: null,
  client: null,
  connected: false,
  version: 0,
  lastEventId: 0,
  localCommitting: 0,
  epoch: 0,
  notifications: 0,
  listeners: new Set(),
  retryMs: FIRST_RETRY_MS,
  retryTimer: null,
  warned: false,
  pid: null,
});

function bump(): void {
  state.version++;
  for (const listener of [...state.listeners]) {
    try {
      listener();
    } catch (err) {
      logger.error({ err }, "change listener failed");
    }
  }
}

/** Starts (or re-targets) the listener for the current DATABASE_URL; a no-op when it runs. */
function ensureListening(): void {
  const url = databaseUrl();
  if (!isPostgresUrl(url)) return;
  if (state.url === url) return;
  void stopPgChanges();
  state.url = url;
  void connect(url);
}

async function connect(url: string): Promise<void> {
  state.retryTimer = null;
  if (state.url !== url) return;
  const client = new pg.Client({ connectionString: url, options: "-c timezone=UTC", connectionTimeoutMillis: 5_000, keepAlive: true });
  state.client = client;
  let lost = false;
  const onLost = (err?: unknown) => {
    if (lost) return;
    lost = true;
    if (state.client === client) dropped(url, err);
    client.end().catch(() => undefined);
  };
  client.on("error", onLost);
  client.on("end", () => onLost());
  client.on("notification", (msg) => {
    if (state.client !== client || msg.channel !== CHANGES_CHANNEL) return;
    state.notifications++;
    const id = Number(msg.payload);
    if (Number.isFinite(id) && id > state.lastEventId) state.lastEventId = id;
    bump();
  });
  try {
    await client.connect();
    // A LISTEN connection must not keep a CLI (or a test) alive once everything else is done.
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    const pid = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    if (state.client !== client || lost) return;
    state.pid = pid.rows[0].pid;
    state.connected = true;
    state.epoch++;
    state.retryMs = FIRST_RETRY_MS;
    if (state.warned) logger.info({ channel: CHANGES_CHANNEL }, "PostgreSQL change notifications restored");
    state.warned = false;
    bump(); // whatever committed while we were not listening
  } catch (err) {
    onLost(err);
  }
}

function dropped(url: string, err: unknown): void {
  state.client = null;
  state.connected = false;
  state.epoch++;
  state.pid = null;
  if (state.url !== url) return;
  if (!state.warned) {
    state.warned = true;
    logger.warn(
      { err, channel: CHANGES_CHANNEL },
      "PostgreSQL change notifications unavailable; memoised reads fall back to short time buckets until the listener reconnects",
    );
  }
  bump(); // wake the subscribers: they switch to polling time buckets
  if (databaseUrl() !== url) {
    state.url = null; // DATABASE_URL moved on (tests): stop retrying the old one
    return;
  }
  const wait = state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, MAX_RETRY_MS);
  state.retryTimer = setTimeout(() => void connect(url), wait);
  state.retryTimer.unref();
}

/**
 * A token that changes after every commit notified on PostgreSQL, or null while no listener is
 * connected (the caller then uses time buckets). Starts the listener on first use.
 */
export function changeToken(): string | null {
  ensureListening();
  return state.connected ? `p${state.version}` : null;
}

/** Calls `cb` after every notification (and on connection changes); returns the unsubscribe. */
export function onChange(cb: Listener): () => void {
  ensureListening();
  state.listeners.add(cb);
  return () => state.listeners.delete(cb);
}

/**
 * `mutate` calls this after its commit: this process's own memos must not wait for the round
 * trip of its notification (a request that changed a setting reads it back at once).
 */
export function noteLocalCommit(): void {
  if (state.connected) bump();
}

/**
 * The highest event id notified since the listener connected (`epoch` changes when notifications
 * may have been missed), or null while it is not connected. Every commit that writes events
 * notifies its last id, so a reader whose head is at or past `lastEventId` within one epoch has
 * nothing new to read.
 */
export function notifiedEvents(): { epoch: number; lastEventId: number; localCommitting: number } | null {
  return state.connected ? { epoch: state.epoch, lastEventId: state.lastEventId, localCommitting: state.localCommitting } : null;
}

/**
 * `mutate` calls this inside its transaction, after its notification and before COMMIT: the
 * notification can reach this process's listener before the COMMIT's answer reaches `mutate`, and
 * a reader may then leave ids up to `lastId` to this process's own commit (lib/events/sse.ts).
 */
export function noteLocalCommitting(lastId: number): void {
  if (lastId > state.localCommitting) state.localCommitting = lastId;
}

/** For the status page and tests. */
export function pgChangesState(): { connected: boolean; version: number; notifications: number; lastEventId: number; pid: number | null } {
  return {
    connected: state.connected,
    version: state.version,
    notifications: state.notifications,
    lastEventId: state.lastEventId,
    pid: state.pid,
  };
}

/** Closes the listener (tests, shutdown); the next use starts it again. */
export async function stopPgChanges(): Promise<void> {
  if (state.retryTimer) clearTimeout(state.retryTimer);
  state.retryTimer = null;
  const client = state.client;
  state.client = null;
  state.connected = false;
  state.pid = null;
  state.url = null;
  state.warned = false;
  state.retryMs = FIRST_RETRY_MS;
  await client?.end().catch(() => undefined);
}
