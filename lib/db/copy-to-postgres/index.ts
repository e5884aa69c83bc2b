import Database from "better-sqlite3";
import pg from "pg";
import { migrate } from "@/scripts/migrate.mjs";
import { CopyRefusedError, checkSource, ident, nonEmptyTables, refuseNonEmpty } from "@/lib/db/copy-to-postgres/checks";
import { copyTable } from "@/lib/db/copy-to-postgres/copy-rows";
import { modelTables } from "@/lib/db/copy-to-postgres/models";
import { buildPlan, readPgCatalog, readSqliteCatalog } from "@/lib/db/copy-to-postgres/plan";

/**
 * `npm run migrate-to-postgres`: a SQLite database of this app into an empty PostgreSQL database,
 * every table of the Prisma schema with its ids, in one PostgreSQL transaction (all or nothing).
 * Order: check the source (migrated, not in use) and the target (no app rows) → apply the
 * PostgreSQL migrations → check both against the schema → copy in foreign-key order → move the
 * sequences past max(id). While copying, SQLite's write lock is held, so nothing can be written
 * to the file that the copy would miss.
 */

export { CopyRefusedError };

export interface CopyOptions {
  /** Absolute path of the SQLite file. */
  sqliteFile: string;
  /** postgres:// or postgresql:// URL of the target database (created when missing). */
  targetUrl: string;
  /** prisma/migrations, to tell whether the SQLite file is fully migrated. */
  migrationsDir: string;
  /** How long to wait for a running instance to let go of the SQLite file (ms). */
  inUseWaitMs?: number;
  /** Asked after the checks, before anything is written; false stops with nothing changed. */
  confirm?: (plan: { sqliteFile: string; target: string; rows: number }) => Promise<boolean>;
  log?: (line: string) => void;
}

export interface CopyResult {
  tables: { table: string; rows: number }[];
  rows: number;
  ms: number;
}

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Timestamps are written as UTC wall time; keep the session in UTC like the app (issue [12]).
  await client.query("SET TIME ZONE 'UTC'");
  const schema = /[?&]schema=([^&]+)/.exec(url)?.[1];
  if (schema) await client.query(`SET search_path TO ${ident(decodeURIComponent(schema))}`);
  return client;
}

/** Whether the target database exists yet (migrate creates it when it does not). */
async function connectIfExists(url: string): Promise<pg.Client | null> {
  try {
    return await connect(url);
  } catch (err) {
    if ((err as { code?: string }).code === "3D000") return null; // invalid_catalog_name
    throw err;
  }
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult | null> {
  const { sqliteFile, targetUrl, log = () => undefined } = options;
  const target = displayUrl(targetUrl);
  if (!/^postgres(ql)?:\/\//i.test(targetUrl)) throw new CopyRefusedError(`the target must be a postgresql:// URL, not ${target}`);
  const models = modelTables();
  const tables = models.map((m) => m.table);

  await checkSource(sqliteFile, { migrationsDir: options.migrationsDir, inUseWaitMs: options.inUseWaitMs ?? 5_000 });
  const before = await connectIfExists(targetUrl);
  if (before) {
    try {
      refuseNonEmpty(await nonEmptyTables(before, tables), target);
    } finally {
      await before.end();
    }
  }

  const sqlite = new Database(sqliteFile, { fileMustExist: true, timeout: 5_000 });
  try {
    const sourceCatalog = readSqliteCatalog(sqlite);
    const rowsInSource = models.reduce(
      (sum, m) =>
        sum +
        (sourceCatalog.has(m.table)
          ? (sqlite
              .prepare(`SELECT count(*) FROM ${ident(m.table)}`)
              .pluck()
              .get() as number)
          : 0),
      0,
    );
    if (options.confirm && !(await options.confirm({ sqliteFile, target, rows: rowsInSource }))) return null;

    const started = performance.now();
    await migrate({ databaseUrl: targetUrl, log: (line: string) => log(`migrate: ${line}`) });
    const client = await connect(targetUrl);
    try {
      const plan = buildPlan(models, await readPgCatalog(client), sourceCatalog);
      // Taken now and held to the end: no instance started meanwhile can write rows the copy misses.
      sqlite.exec("BEGIN IMMEDIATE");
      await client.query("BEGIN");
      try {
        // Locked and checked again inside the transaction: nothing may have arrived since the first look.
        await client.query(`LOCK TABLE ${plan.map((p) => ident(p.table)).join(", ")} IN ACCESS EXCLUSIVE MODE`);
        refuseNonEmpty(await nonEmptyTables(client, tables), target);
        const copied: CopyResult["tables"] = [];
        for (const table of plan) {
          // A restore, not new writes: triggers the app defines (e.g. one drawing event ids) must
          // not rewrite the copied rows. Foreign keys (system triggers) stay checked.
          await client.query(`ALTER TABLE ${ident(table.table)} DISABLE TRIGGER USER`);
          const rows = await copyTable(sqlite, client, table);
          await client.query(`ALTER TABLE ${ident(table.table)} ENABLE TRIGGER USER`);
          const expected = sqlite
            .prepare(`SELECT count(*) FROM ${ident(table.table)}`)
            .pluck()
            .get() as number;
          if (rows !== expected) throw new Error(`${table.table}: copied ${rows} rows of ${expected}`);
          copied.push({ table: table.table, rows });
        }
        await client.query("COMMIT");
        // Statistics and visibility maps now, not whenever autovacuum comes by: until then the
        // planner takes the freshly filled tables for empty and passes over their indexes (the
        // audit search's trigram indexes among them). Outside the transaction, as VACUUM must be.
        await client.query(`VACUUM (ANALYZE) ${copied.map((t) => ident(t.table)).join(", ")}`);
        log(`analyzed ${copied.length} tables`);
        return { tables: copied, rows: copied.reduce((s, t) => s + t.rows, 0), ms: Math.round(performance.now() - started) };
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      }
    } finally {
      await client.end();
    }
  } finally {
    sqlite.close();
  }
}
