import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient, type Prisma } from "@/lib/generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "@/lib/generated/prisma-pg/client";
import { config } from "@/lib/config/env";

export type Db = PrismaClient;
/** The client handed to code running inside a transaction (`mutate`, `db.$transaction`). */
export type Tx = Prisma.TransactionClient;

export const DEFAULT_DATABASE_URL = "file:./data/preroll.db";

export function databaseUrl(): string {
  return config().DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Absolute file path of a `file:` SQLite URL (relative paths resolve against the cwd). */
export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, "");
  return p === ":memory:" ? p : path.resolve(/* turbopackIgnore: true */ process.cwd(), p);
}

/** Pragmas every connection gets (SPEC §2): WAL, foreign keys, 30 s busy timeout. */
export function applyPragmas(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 30000");
  db.pragma("synchronous = NORMAL"); // durable with WAL, far fewer fsyncs
}

/**
 * Wraps Prisma's better-sqlite3 adapter so that every connection gets our pragmas, and so that
 * transactions start with BEGIN IMMEDIATE: a deferred BEGIN that reads and then writes fails with
 * SQLITE_BUSY (no busy-wait) when the worker process wrote in between; IMMEDIATE takes the write
 * lock up front and waits out the busy timeout instead.
 */
class PragmaSqliteFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  #inner: PrismaBetterSqlite3;
  constructor(url: string) {
    this.#inner = new PrismaBetterSqlite3({ url, timeout: 30_000 });
    this.adapterName = this.#inner.adapterName;
  }
  async connect(): Promise<SqlDriverAdapter> {
    return patch(await this.#inner.connect());
  }
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return patch(await this.#inner.connectToShadowDb());
  }
}

function patch(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const client = (adapter as unknown as { client: Database.Database }).client;
  applyPragmas(client);
  const prepare = client.prepare.bind(client);
  client.prepare = ((sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof client.prepare;
  isolateTransactions(adapter);
  return adapter;
}

/**
 * The adapter has one connection per process: a query made outside a transaction while another
 * request's transaction is open would run *inside* it and see rows that may still roll back
 * (and `memoByDataVersion` would keep that result). Queries outside a transaction therefore wait
 * until the open transaction has committed or rolled back. Code inside `mutate` must use `m.tx`
 * (a `db.` call there would wait for its own transaction).
 */
function isolateTransactions(adapter: SqlDriverAdapter): void {
  let open: Promise<void> | null = null;
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const tx = await startTransaction(isolationLevel);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    open = done;
    const end = () => {
      if (open === done) open = null;
      finish();
    };
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = async () => {
      try {
        return await commit();
      } finally {
        end();
      }
    };
    tx.rollback = async () => {
      try {
        return await rollback();
      } finally {
        end();
      }
    };
    return tx;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    while (open) await open;
    return queryRaw(query);
  };
  adapter.executeRaw = async (query) => {
    while (open) await open;
    return executeRaw(query);
  };
}

/**
 * PostgreSQL: Prisma's pg adapter over a pool. Every session runs in UTC, because
 * `now()::timestamp` (and so any SQL-side timestamp) follows the session time zone, while Prisma
 * reads and writes `timestamp(3)` columns as UTC: a server in another zone would shift them.
 * None of the SQLite wrapper applies: the pool gives each transaction its own connection (so
 * reads outside it never see its rows), and write order comes from `mutate`'s advisory lock.
 */
function createPostgresClient(url: string): Db {
  const adapter = new PrismaPg({ connectionString: url, options: "-c timezone=UTC" });
  // Typed as the SQLite client: both are generated from the same models (prisma/postgres/schema.prisma
  // is prisma/schema.prisma with the provider swapped, scripts/migrate.mjs), so their model APIs
  // are identical, and one `Db` type keeps every call site provider-neutral.
  const client = new PgPrismaClient({ adapter }) as unknown as Db;
  postgresClients.add(client);
  return client;
}

const postgresClients = new WeakSet<Db>();

/** Whether `client` talks to PostgreSQL (tests hand `mutate` clients for other URLs than DATABASE_URL). */
export function isPostgresClient(client: Db): boolean {
  return postgresClients.has(client);
}

export function createPrismaClient(url = databaseUrl()): Db {
  if (isPostgresUrl(url)) return createPostgresClient(url);
  const file = sqlitePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  return new PrismaClient({ adapter: new PragmaSqliteFactory(`file:${file}`) });
}

const globalForDb = globalThis as unknown as { __prerollDb?: Db };

/** The process-wide client (one per process; survives Next dev hot reloads). */
export const db: Db = globalForDb.__prerollDb ?? (globalForDb.__prerollDb = createPrismaClient());
