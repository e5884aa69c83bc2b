import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * The PostgreSQL project: tests/postgres/** and tests/integration/** with TEST_DB=postgres, so that
 * tests/helpers/global-setup.ts migrates a template PostgreSQL database and each file gets its
 * own clone (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
 * `npx vitest run --config vitest.postgres.config.mts`; scripts/test.sh runs it when PostgreSQL
 * is reachable. (Spread, not mergeConfig: that would append to the base's include/exclude.)
 */
process.env.TEST_DB = "postgres"; // read by the global setup, which runs in this process

/**
 * Integration files that stay in the SQLite project only, each with why. TODO(pg): one that could be
 * made engine-neutral and is not yet.
 */
const sqliteOnly: Record<string, string> = {
  "backups.test.ts": "the SQLite backup path (VACUUM INTO, .db files); twin: tests/postgres/backups.test.ts",
  "db.test.ts": "SQLite PRAGMAs and the SQLite connection wrapper",
  "start-twice.test.ts": "a second `npm start` against a SQLite file another instance holds (VACUUM INTO copies)",
  // Cross-database files: they create (and drop) their own PostgreSQL databases beside a SQLite file.
  "delivery-store-postgres.test.ts": "cross-database: creates its own PostgreSQL database",
  "migrate-to-postgres.test.ts": "cross-database: copies a SQLite file into its own PostgreSQL database",
  "postgres-schema.test.ts": "cross-database: creates and migrates its own PostgreSQL database",
  "start-no-migrate.test.ts": "cross-database: spawns `npm start` against its own SQLite files and its own PostgreSQL databases",
};

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/postgres/**/*.test.ts", "tests/integration/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...Object.keys(sqliteOnly).map((file) => `tests/integration/${file}`)],
    env: { ...base.test?.env, TEST_DB: "postgres" },
  },
});
