import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { applyPragmas, databaseUrl, isPostgresUrl, sqlitePath } from "@/lib/db/client";
import type { Event, Subscriber } from "@/lib/generated/prisma/client";

/**
 * The delivery queue's hot path in plain SQL on its own SQLite connection: a claim, a relay page
 * or the record of a hundred attempts is one short synchronous transaction, where the same through
 * Prisma costs ~0.2 ms per statement and a dozen statements per step (the bench in
 * bench/delivery.mjs measures the difference). Everything else — reads for pages, and every
 * change that emits an event (`delivery.dead`, `subscriber.disabled`) — stays on Prisma.
 *
 * Rows are written exactly as Prisma writes them: DateTime as ISO 8601 text with `+00:00`,
 * booleans as 0/1, Json as text, uuid ids and `updated_at` set by the writer.
 *
 * Locking: the connection's busy timeout is 0 and a busy database is retried asynchronously.
 * A synchronous wait would block this process's event loop, and with it a Prisma transaction of
 * this same process that holds the write lock and is waiting for its next statement to run.
 * Nothing here holds a lock across an `await`.
 */

export const iso = (d: Date): string => d.toISOString().replace("Z", "+00:00");
const date = (v: string | null): Date | null => (v === null ? null : new Date(v));
const json = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

export interface SqliteStore {
  db: Database.Database;
  file: string;
  statements: Map<string, Database.Statement>;
}

let store: SqliteStore | null = null;

/** The store's connection for the current DATABASE_URL (tests swap databases between files). */
export function sqliteStore(): SqliteStore {
  const url = databaseUrl();
  if (isPostgresUrl(url)) throw new Error("The delivery queue runs on SQLite only until the PostgreSQL issue");
  const file = sqlitePath(url);
  if (store && store.file === file && store.db.open) return store;
  store?.db.close();
  store = null;
  const db = new Database(file, { timeout: 0, fileMustExist: true });
  try {
    applyPragmas(db);
    db.pragma("busy_timeout = 0");
  } catch (err) {
    db.close(); // busy (retried by the caller) or broken: not half set up
    throw err;
  }
  store = { db, file, statements: new Map() };
  return store;
}

/** Closes the store's connection (tests, shutdown). */
export function closeSqliteStore(): void {
  store?.db.close();
  store = null;
}

/** A cached prepared statement, returning rows as objects (call `.pluck()` for single values). */
export function prepared(s: SqliteStore, sql: string): Database.Statement {
  let stmt = s.statements.get(sql);
  if (!stmt) {
    stmt = s.db.prepare(sql);
    s.statements.set(sql, stmt);
  }
  return stmt.reader ? stmt.pluck(false) : stmt;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? "";
  return code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED";
}

/** Waits this long at most for the write lock, like the Prisma connection's busy timeout. */
const BUSY_GIVE_UP_MS = 30_000;

/**
 * Runs `fn` (synchronous, typically one transaction) and retries it while the database is locked
 * by another connection, with a short back-off that leaves the event loop free in between.
 */
export async function whenNotBusy<T>(fn: (s: SqliteStore) => T): Promise<T> {
  const started = Date.now();
  for (let wait = 1; ; wait = Math.min(wait * 2, 25)) {
    try {
      return fn(sqliteStore());
    } catch (err) {
      if (!isBusy(err) || Date.now() - started > BUSY_GIVE_UP_MS) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** An IMMEDIATE transaction: the write lock is taken up front, so it either starts or is busy. */
export function immediate<T>(s: SqliteStore, fn: () => T): T {
  return s.db.transaction(fn).immediate();
}

/** Changes committed by *other* connections since the last look (another process, or Prisma here). */
export function dataVersion(s: SqliteStore): number {
  return prepared(s, "PRAGMA data_version").pluck().get() as number;
}

// Rows ------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

export function toSubscriber(r: Row): Subscriber {
  return {
    id: r.id as string,
    name: r.name as string,
    event_types: r.event_types as string,
    filter: json(r.filter as string | null) as Subscriber["filter"],
    kind: r.kind as string,
    config: json(r.config as string) as Subscriber["config"],
    secret: r.secret as string | null,
    previous_secret: r.previous_secret as string | null,
    previous_secret_expires_at: date(r.previous_secret_expires_at as string | null),
    ordered: r.ordered === 1,
    max_attempts: r.max_attempts as number,
    active: r.active === 1,
    failing_since: date(r.failing_since as string | null),
    disabled_reason: r.disabled_reason as string | null,
    created_at: new Date(r.created_at as string),
    updated_at: new Date(r.updated_at as string),
  };
}

export function toEvent(r: Row, prefix = ""): Event {
  return {
    id: r[`${prefix}id`] as number,
    type: r[`${prefix}type`] as string,
    payload: json(r[`${prefix}payload`] as string) as Event["payload"],
    actor: r[`${prefix}actor`] as string,
    trace_id: r[`${prefix}trace_id`] as string,
    source: r[`${prefix}source`] as string,
    created_at: new Date(r[`${prefix}created_at`] as string),
  };
}

export const newId = (): string => randomUUID();
