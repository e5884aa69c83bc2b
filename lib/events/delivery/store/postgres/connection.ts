import pg from "pg";
import { databaseUrl, isPostgresUrl } from "@/lib/db/client";
import type { Event, Subscriber } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";

/**
 * The delivery queue's SQL on PostgreSQL, on its own small `pg` pool (the same reason as the
 * SQLite store's own connection: a step is a few plain statements, not a dozen Prisma calls).
 *
 * Time: every session runs with `timezone=UTC`, and the schema's `TIMESTAMP(3)` columns (no time
 * zone) hold UTC wall time as Prisma writes them. "Now" in SQL is `now() AT TIME ZONE 'UTC'`
 * (see NOW), so leases and due times follow the database clock, which all hosts share. Dates sent
 * as parameters go as ISO text cast to `timestamptz`, never through pg's local-time formatting,
 * and `timestamp` values are read back as UTC (pg would read them in this process's zone).
 *
 * Durability: the store's sessions commit with `synchronous_commit = off` (no WAL flush wait per
 * commit). A crash of the PostgreSQL server may then lose the last fraction of a second of queue
 * bookkeeping — never an event, which the app's own writes commit durably — and the queue is
 * at-least-once by design: a lost record redelivers, a lost relay page re-reads its events (the
 * cursor went back with it). The same trade as SQLite's `synchronous = NORMAL` in WAL mode.
 *
 * Locking: nothing here waits on another transaction's row for long. Claims skip locked rows,
 * ordered subscribers are taken under a try-lock, the relay waits on its one cursor row.
 * A deadlock (PostgreSQL aborts one side) or serialization failure is retried a few times.
 */

/** The database clock as the schema stores times (UTC wall time, `timestamp`). */
export const NOW = "(now() AT TIME ZONE 'UTC')";
/** `$n` as a reference time: the caller's `now` (tests drive the clock) or the database's. */
export const nowOr = (param: string): string => `(COALESCE(${param}::timestamptz, now()) AT TIME ZONE 'UTC')`;
/** A date as a parameter: ISO text (UTC), cast by the statement. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

const TIMESTAMP_OID = 1114;
const parseUtc = (v: string): Date => new Date(`${v.replace(" ", "T")}Z`);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary" ? parseUtc : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Few connections: a worker overlaps at most a claim or record, a renewal and a relay page. */
const POOL_SIZE = 4;

export interface PgStore {
  pool: pg.Pool;
  url: string;
}

let store: PgStore | null = null;

/** The store's pool for the current DATABASE_URL (tests swap databases). */
export function pgStore(): PgStore {
  const url = databaseUrl();
  if (!isPostgresUrl(url)) throw new Error("The PostgreSQL delivery store needs a postgresql:// DATABASE_URL");
  if (store && store.url === url) return store;
  void store?.pool.end().catch(() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    options: "-c timezone=UTC -c synchronous_commit=off",
    application_name: "preroll-delivery-store",
    types,
    allowExitOnIdle: true,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on("error", (err) => logger.warn({ err }, "delivery store: idle PostgreSQL connection failed"));
  store = { pool, url };
  return store;
}

/** Closes the store's pool (tests, shutdown). */
export async function closePgStore(): Promise<void> {
  const s = store;
  store = null;
  await s?.pool.end();
}

export type Queryable = pg.Pool | pg.PoolClient;

/**
 * A statement of the busy path, prepared once per connection (a named statement): each call then
 * skips parsing and, once PostgreSQL settles on a generic plan, planning.
 */
export interface Prepared {
  name: string;
  text: string;
}
export const prepared = (name: string, text: string): Prepared => ({ name: `delivery_store_${name}`, text });

/** Rows of one statement. */
export async function rows<T>(q: Queryable, sql: string | Prepared, params: unknown[] = []): Promise<T[]> {
  const result = typeof sql === "string" ? await q.query(sql, params) : await q.query({ name: sql.name, text: sql.text, values: params });
  return result.rows as T[];
}

const RETRYABLE = new Set(["40P01", "40001"]); // deadlock detected, serialization failure
const ATTEMPTS = 3;

/** `fn`, run again (at most ATTEMPTS times in all) when PostgreSQL aborts it for a deadlock or a serialization failure. */
async function retryingDeadlocks<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!RETRYABLE.has((err as { code?: string }).code ?? "") || attempt >= ATTEMPTS) throw err;
    }
  }
}

/** `fn` in one transaction (READ COMMITTED), retried when PostgreSQL aborts it for a deadlock. */
export async function transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return retryingDeadlocks(async () => {
    const client = await pgStore().pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true; // the connection is gone: drop it from the pool
      }
      throw err;
    } finally {
      client.release(broken);
    }
  });
}

/**
 * Rows of one statement run on its own (its own transaction, no BEGIN/COMMIT round trips),
 * retried as `transaction` is when PostgreSQL aborts it for a deadlock.
 */
export async function statement<T>(sql: string | Prepared, params: unknown[]): Promise<T[]> {
  return retryingDeadlocks(() => rows<T>(pgStore().pool, sql, params));
}

// Rows ------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

/** A subscribers row (pg has already typed booleans, json and timestamps). */
export function toSubscriber(r: Row): Subscriber {
  return {
    id: r.id as string,
    name: r.name as string,
    event_types: r.event_types as string,
    filter: r.filter as Subscriber["filter"],
    kind: r.kind as string,
    config: r.config as Subscriber["config"],
    secret: r.secret as string | null,
    previous_secret: r.previous_secret as string | null,
    previous_secret_expires_at: r.previous_secret_expires_at as Date | null,
    ordered: r.ordered as boolean,
    max_attempts: r.max_attempts as number,
    active: r.active as boolean,
    failing_since: r.failing_since as Date | null,
    disabled_reason: r.disabled_reason as string | null,
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}

/** Timestamp columns of the rows the store reads as json (`json_agg`): ISO text of UTC wall time there. */
const JSON_TIMESTAMPS = ["created_at", "updated_at", "failing_since", "previous_secret_expires_at"];

/** A row read as json, with its timestamps as dates (as pg types a row read as columns). */
export function fromJsonRow(r: Row): Row {
  const out = { ...r };
  for (const k of JSON_TIMESTAMPS) if (typeof out[k] === "string") out[k] = parseUtc(out[k]);
  return out;
}

export function toEvent(r: Row, prefix = ""): Event {
  return {
    id: r[`${prefix}id`] as number,
    type: r[`${prefix}type`] as string,
    payload: r[`${prefix}payload`] as Event["payload"],
    actor: r[`${prefix}actor`] as string,
    trace_id: r[`${prefix}trace_id`] as string,
    source: r[`${prefix}source`] as string,
    created_at: r[`${prefix}created_at`] as Date,
  };
}
