import { configDefaults, defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    // PostgreSQL-only files run in their own project (vitest.postgres.config.mts, TEST_DB=postgres).
    exclude: [...configDefaults.exclude, "tests/postgres/**"],
    environment: "node",
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/setup-db.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      NEXTAUTH_SECRET: "test-secret-at-least-32-characters-long!!",
      NEXTAUTH_URL: "http://localhost:3000",
      BCRYPT_COST: "4",
      LOG_LEVEL: "silent",
      // An SSE stream ends after this, so in-process callers that read a whole body (the role matrix's `res.text()`) finish.
      EVENTS_SSE_MAX_MS: "500",
    },
  },
});
