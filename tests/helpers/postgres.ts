import pg from "pg";

/**
 * The PostgreSQL server the PostgreSQL test project uses (TEST_DB=postgres, vitest.postgres.config.mts):
 * a maintenance database URL; test databases are created beside it and dropped afterwards.
 */
export const TEST_POSTGRES_BASE = process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** `base` with its database name replaced. */
export function postgresUrl(database: string, base = TEST_POSTGRES_BASE): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `fn` with a short-lived connection to the maintenance database. */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>, base = TEST_POSTGRES_BASE): Promise<T> {
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops every database whose name starts with `prefix` (ours only: the prefix carries a pid). */
export async function dropDatabases(prefix: string): Promise<void> {
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

/**
 * Whether the server answers; when it does not, says loudly which tests are skipped (the
 * cross-database files in the SQLite project use `describe.skipIf(!available)`).
 */
export async function postgresReachable(skipping: string, base = TEST_POSTGRES_BASE): Promise<boolean> {
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    console.warn(`\n⚠ PostgreSQL not reachable at ${base}: ${skipping} SKIPPED\n`);
    return false;
  }
}
