import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * The PostgreSQL project: tests/postgres/*.test.ts with TEST_DB=postgres, so that
 * tests/helpers/global-setup.ts migrates a template PostgreSQL database and each file gets its
 * own clone (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
 * `npx vitest run --config vitest.postgres.config.mts`; scripts/test.sh runs it when PostgreSQL
 * is reachable. (Spread, not mergeConfig: that would append to the base's include/exclude.)
 */
process.env.TEST_DB = "postgres"; // read by the global setup, which runs in this process

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/postgres/**/*.test.ts"],
    exclude: configDefaults.exclude,
    env: { ...base.test?.env, TEST_DB: "postgres" },
  },
});
