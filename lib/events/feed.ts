import { z } from "zod";
import { db, createPrismaClient, databaseUrl, isPostgresUrl, sqlitePath, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EventEnvelope } from "@/lib/events/catalogue";
import { toEnvelope } from "@/lib/events/outbox";

/**
 * The outbound cursor feed (SPEC §4.3, seed 003): `GET /api/events?after=ID&limit=N&type=GLOB`
 * answers `{events, lastEventId, hasMore}`, events in id order. The SSE stream
 * (lib/events/sse.ts) reads its backlog through the same `readFeed`, and the admin event log
 * (lib/events/event-log.ts) shares the type globs.
 *
 * Why `id > after` never skips an event on SQLite: the cursor is the `events.id` column
 * (`INTEGER PRIMARY KEY AUTOINCREMENT`, so an id is never reused, even after deletes). SQLite
 * has one writer at a time (every transaction starts with BEGIN IMMEDIATE, lib/db/client.ts), so
 * the transaction that took id N commits before any transaction can take id N+1, and a reader
 * (WAL snapshot) sees a prefix of the id sequence: there is never an uncommitted id below a
 * committed one. A consumer that has seen everything up to X therefore never receives an id ≤ X
 * later. Events written by other processes (the worker) go through the same single-writer lock.
 *
 * On PostgreSQL a sequence hands out ids at INSERT time and transactions commit in any order, so
 * the same guarantee needs the write lock: `mutate` takes `pg_advisory_xact_lock(WRITE_LOCK_KEY)`
 * first (lib/db/mutate.ts), and a trigger on `events` takes it for writes that bypass `mutate`
 * (prisma/postgres/migrations/*_events_write_order). Ids are then drawn and committed in order, and
 * PostgreSQL makes a commit visible before releasing the lock (tests/postgres/write-order.test.ts).
 */

/**
 * The feed reads through its own connection. Prisma's better-sqlite3 adapter runs a process's
 * queries on one connection, and an interactive transaction (`mutate`) is open on that same
 * connection while it awaits: a read issued meanwhile from another request runs *inside* that
 * transaction and sees its uncommitted rows. For the feed that would be fatal — a consumer could
 * move its cursor past an event that then rolls back, and AUTOINCREMENT would hand the same id to
 * the next real event, which the consumer then skips. A second connection sees committed rows
 * only (WAL snapshot) and never waits for the writer. (On PostgreSQL a pool gives this for free.)
 */
const feedConnection = globalThis as unknown as { __prerollFeedDb?: { url: string; client: Db } };

export function feedDb(): Db {
  const url = databaseUrl();
  if (isPostgresUrl(url) || sqlitePath(url) === ":memory:") return db;
  const current = feedConnection.__prerollFeedDb;
  if (current?.url === url) return current.client;
  void current?.client.$disconnect();
  const client = createPrismaClient(url);
  feedConnection.__prerollFeedDb = { url, client };
  return client;
}

const GLOB_PATTERN = /^[A-Za-z0-9_.*?:-]{1,100}$/;
const MAX_GLOBS = 50;

/** A parsed `type` parameter: a list of globs (`*` any run of characters, `?` one character). */
export interface TypeFilter {
  globs: string[];
  /** The globs hold no wildcard: an exact list of types, no registry needed. */
  exact: string[] | null;
  test(type: string): boolean;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

export function compileTypeFilter(globs: string[]): TypeFilter | undefined {
  if (globs.length === 0 || globs.includes("*")) return undefined; // every type
  const patterns = globs.map(globToRegExp);
  return {
    globs,
    exact: globs.some((g) => /[*?]/.test(g)) ? null : globs,
    test: (type) => patterns.some((p) => p.test(type)),
  };
}

/**
 * The `type` query parameter: `finished_good.*`, or a comma-separated list of globs (the
 * parameter may also be repeated). Absent, empty or `*` → undefined (every type).
 */
export const typeGlobsParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value, ctx): TypeFilter | undefined => {
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    const globs = [
      ...new Set(
        text
          .split(",")
          .map((g) => g.trim())
          .filter(Boolean),
      ),
    ];
    if (globs.length > MAX_GLOBS) {
      ctx.addIssue({ code: "custom", message: `At most ${MAX_GLOBS} type globs` });
      return z.NEVER;
    }
    const bad = globs.find((g) => !GLOB_PATTERN.test(g));
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `Invalid type glob "${bad.slice(0, 100)}": letters, digits, _ . - : and the wildcards * ?` });
      return z.NEVER;
    }
    return compileTypeFilter(globs);
  });

/** A cursor: a non-negative integer event id. */
export const eventIdParam = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1000;

export const feedQuery = z.strictObject({
  after: eventIdParam.default(0),
  limit: z.coerce.number().int().min(1).max(FEED_MAX_LIMIT).default(FEED_DEFAULT_LIMIT),
  type: typeGlobsParam,
});

/**
 * The event types present in the table, so that a glob becomes an indexed `type IN (…)`.
 * Kept per process and extended incrementally (`id > scannedUpTo`: a primary-key range, tiny
 * after the first scan). `horizon` is the highest id the registry has looked at: every row at or
 * below it has a known type, so a glob query bounded by it cannot miss a row of a type first
 * committed a moment later (that row is above the horizon and comes with the next read).
 */
interface TypeRegistry {
  url: string;
  types: Set<string>;
  scannedUpTo: number;
}
let registry: TypeRegistry | null = null;
let refreshing: Promise<{ types: Set<string>; horizon: number }> | null = null;

export function knownEventTypes(): Promise<{ types: Set<string>; horizon: number }> {
  const url = databaseUrl();
  if (!registry || registry.url !== url) {
    registry = { url, types: new Set(), scannedUpTo: 0 };
    refreshing = null;
  }
  if (refreshing) return refreshing;
  const reg = registry;
  const run = (async () => {
    const groups = await feedDb().event.groupBy({ by: ["type"], where: { id: { gt: reg.scannedUpTo } }, _max: { id: true } });
    let horizon = reg.scannedUpTo;
    for (const g of groups) {
      reg.types.add(g.type);
      horizon = Math.max(horizon, g._max.id ?? 0);
    }
    reg.scannedUpTo = horizon;
    return { types: reg.types, horizon };
  })();
  refreshing = run;
  const clear = () => {
    if (refreshing === run) refreshing = null;
  };
  run.then(clear, clear);
  return run;
}

/** The concrete types a filter stands for, and the id horizon the answer is valid up to. */
export async function resolveTypeFilter(filter: TypeFilter): Promise<{ types: string[]; horizon: number | undefined }> {
  if (filter.exact) return { types: filter.exact, horizon: undefined };
  const { types, horizon } = await knownEventTypes();
  return { types: [...types].filter((t) => filter.test(t)), horizon };
}

export interface FeedRequest {
  /** Exclusive cursor. */
  after: number;
  limit: number;
  filter?: TypeFilter;
  /** Inclusive upper bound on ids (the SSE hub's head); none = everything committed. */
  upTo?: number;
}

export interface FeedPage {
  events: EventEnvelope[];
  /** Id of the last event returned, or `after` when none (the cursor for the next call). */
  lastEventId: number;
  hasMore: boolean;
  /**
   * Every id ≤ scannedTo has been considered (returned if it matched). Beyond `lastEventId` when
   * a filtered read was bounded: the SSE stream uses it to skip non-matching stretches.
   */
  scannedTo: number;
}

/** One page of the feed: events with `after < id (≤ upTo)`, matching the filter, in id order. */
export async function readFeed({ after, limit, filter, upTo }: FeedRequest): Promise<FeedPage> {
  let upper = upTo;
  const where: Prisma.EventWhereInput = {};
  if (filter) {
    const { types, horizon } = await resolveTypeFilter(filter);
    if (horizon !== undefined) upper = upper === undefined ? horizon : Math.min(upper, horizon);
    if (types.length === 0) return { events: [], lastEventId: after, hasMore: false, scannedTo: Math.max(after, upper ?? after) };
    where.type = types.length === 1 ? types[0] : { in: types };
  }
  where.id = upper === undefined ? { gt: after } : { gt: after, lte: upper };
  const rows = await feedDb().event.findMany({ where, orderBy: { id: "asc" }, take: limit + 1 });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const lastEventId = page.length > 0 ? page[page.length - 1].id : after;
  const scannedTo = hasMore || upper === undefined ? lastEventId : Math.max(after, upper);
  return { events: page.map(toEnvelope), lastEventId, hasMore, scannedTo };
}
