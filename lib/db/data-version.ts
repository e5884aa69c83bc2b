import Database from "better-sqlite3";
import { databaseUrl, isPostgresUrl, sqlitePath } from "@/lib/db/client";
import { changeToken, onChange } from "@/lib/db/pg-changes";

/**
 * "Has anything been committed since I last looked?" in microseconds, so that hot polling paths
 * (last-updated endpoints, API-key and session checks) read the database only after a change.
 *
 * SQLite's `PRAGMA data_version` changes whenever *another* connection commits. This module keeps
 * its own read-only connection that never writes, so every commit — by Prisma in this process, by
 * the worker, by a restore — is seen. On PostgreSQL the version is the LISTEN connection's
 * (lib/db/pg-changes.ts: every commit through `mutate`, or that inserts an event, notifies). While
 * that listener is down memoised values fall back to time buckets of `POSTGRES_MEMO_MS` (so they
 * are at most that stale; the listener logs a warning once per outage), or
 * `POSTGRES_EVENT_DRIVEN_MEMO_MS` while committed events of every app process reach this one
 * (Redis fan-out connected, see lib/events/start.ts).
 *
 * Either way memos are also dropped by `invalidateMemos()`: the bus's cache-invalidation
 * subscriber (lib/events/cache-invalidation.ts) calls it for every committed event, local or from
 * another instance, and the durable `cache` subscriber kind for the key prefixes it names.
 */

/** Short: a revoked key or a deactivated user must stop working on every instance almost at once. * (Used while the PostgreSQL change listener is down.)
 */
export const POSTGRES_MEMO_MS = 250;
/** Backstop only: a commit by a process that publishes no events (a CLI, a restore) is seen within this. */
const POSTGRES_EVENT_DRIVEN_MEMO_MS = 60_000;

/**
 * Invalidation state, on globalThis: Next compiles instrumentation.ts (where the bus subscriber is
 * registered) and each route as separate entries, each with its own copy of this module, so a
 * module-level counter bumped by one would never be seen by the others.
 */
interface InvalidationState {
  /** Bumped by every invalidation; a memo records the tick it was computed at. */
  tick: number;
  /** Tick of the last invalidation of everything. */
  allAt: number;
  /** Key prefix → tick of its last invalidation. */
  keyed: Map<string, number>;
  /** Tick of the last keyed invalidation (skips the prefix scan when older than the memo). */
  keyedAt: number;
  invalidations: number;
  /** Whether every app process's committed events reach this process's bus (PostgreSQL memo lifetime). */
  eventDriven: boolean;
}
const globalForInvalidation = globalThis as unknown as { __prerollMemoInvalidation?: InvalidationState };
const invalidation: InvalidationState = (globalForInvalidation.__prerollMemoInvalidation ??= {
  tick: 0,
  allAt: 0,
  keyed: new Map(),
  keyedAt: 0,
  invalidations: 0,
  eventDriven: false,
});

let probe: Database.Database | null | undefined;
let probeUrl: string | undefined;
/** Prepared once per connection: `pragma()` would prepare a statement on every call. */
let versionStatement: Database.Statement | null = null;

function probeConnection(): Database.Database | null {
  const url = databaseUrl();
  if (probe !== undefined && probeUrl === url) return probe;
  probe?.close();
  probeUrl = url;
  const file = sqlitePath(url);
  if (isPostgresUrl(url) || file === ":memory:") return (probe = null);
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true, timeout: 30_000 });
    versionStatement = probe.prepare("PRAGMA data_version").pluck();
  } catch {
    probe = undefined; // database not created yet: try again next time
    return null;
  }
  return probe;
}

/**
 * A token that changes whenever the database changes (SQLite; PostgreSQL with its listener up),
 * or every time bucket (PostgreSQL while the listener is down).
 */
export function dataVersion(): string {
  const conn = probeConnection();
  if (!conn) {
    const postgres = isPostgresUrl(probeUrl ?? "");
    const token = postgres ? changeToken() : null;
    if (token !== null) return token;
    if (invalidation.eventDriven) return `t${Math.floor(Date.now() / POSTGRES_EVENT_DRIVEN_MEMO_MS)}`;
    // An in-memory SQLite database (no probe possible) keeps its old 1 s buckets.
    if (!postgres) return `t${Math.floor(Date.now() / 1000)}`;
    return `t${Math.floor(Date.now() / POSTGRES_MEMO_MS)}`;
  }
  return `v${versionStatement!.get()}`;
}

/**
 * Calls `cb` when another process's commit is notified (PostgreSQL), so a poller of
 * `dataVersion()` can look at once; on SQLite there is no push (a no-op: keep polling).
 */
export function onDataChange(cb: () => void): () => void {
  if (!isPostgresUrl(databaseUrl())) return () => undefined;
  return onChange(cb);
}

interface Memo<T> {
  version: string;
  /** `invalidation.tick` when computed. */
  tick: number;
  value: Promise<T>;
}
const memos = new Map<string, Memo<unknown>>();
/** Keys may carry a date or a parameter; the oldest entries go first beyond this many. */
const MAX_MEMOS = 500;

/** `compute()` once per database version: callers between two commits share one result. */
export function memoByDataVersion<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const version = dataVersion();
  const hit = memos.get(key) as Memo<T> | undefined;
  if (hit && hit.version === version && !invalidatedSince(key, hit.tick)) return hit.value;
  const value = compute();
  memos.delete(key); // re-insert at the end: Map order is our recency order
  memos.set(key, { version, tick: invalidation.tick, value });
  if (memos.size > MAX_MEMOS) memos.delete(memos.keys().next().value!);
  value.catch(() => memos.delete(key));
  return value;
}

/** Tests swap databases between files: forget the probe and every memo. */
export function resetDataVersionProbe(): void {
  probe?.close();
  probe = undefined;
  versionStatement = null;
  memos.clear();
}

function invalidatedSince(key: string, tick: number): boolean {
  if (invalidation.allAt > tick) return true;
  if (invalidation.keyedAt <= tick) return false;
  for (const [prefix, at] of invalidation.keyed) if (at > tick && key.startsWith(prefix)) return true;
  return false;
}

/**
 * Drops memoised values in every copy of this module in the process: all of them, or those whose
 * key starts with one of `prefixes` (`settings:`, `json:`, …). A computation already running when
 * this is called is not reused afterwards either (its reads may predate the change).
 */
export function invalidateMemos(prefixes?: readonly string[]): void {
  invalidation.invalidations++;
  const tick = ++invalidation.tick;
  if (prefixes === undefined) {
    invalidation.allAt = tick;
    invalidation.keyed.clear(); // covered by allAt
    return;
  }
  for (const prefix of prefixes) invalidation.keyed.set(prefix, tick);
  invalidation.keyedAt = tick;
}

/**
 * Set by the event bus wiring while committed events of every app process reach this one (and so
 * `invalidateMemos`): on PostgreSQL memos then live until an event, with a long time backstop.
 */
export function setEventDrivenInvalidation(on: boolean): void {
  invalidation.eventDriven = on;
}

/** For the status page and tests. */
export function memoInvalidationState(): { invalidations: number; event_driven: boolean } {
  return { invalidations: invalidation.invalidations, event_driven: invalidation.eventDriven };
}
