import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/chromium.mjs";

/**
 * End-to-end tests in Debian's Chromium (/usr/bin/chromium; `apt-get install -y chromium`)
 * against a production build served by `npm start` on port 3210, with a fresh SQLite database
 * in tmp/e2e for every run (wiped by e2e/serve.mjs before the server starts).
 */
// E2E_PORT lets two checkouts (git worktrees) run their e2e at the same time.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1, // 2-core CI machine; the tests also share one database
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: "on-first-retry",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: {
    command: "node e2e/serve.mjs",
    url: `${BASE_URL}/api/health`,
    timeout: 600_000, // a cold `next build` takes ~1–2 min here alone, several times that beside other builds
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(PORT),
      DATABASE_URL: "file:./tmp/e2e/e2e.db",
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD: "e2e-admin-password",
      SEED_DEMO: "true",
      NEXTAUTH_URL: BASE_URL,
      // Fixed test-only secret, so the run neither needs nor writes data/.nextauth-secret.
      NEXTAUTH_SECRET: "e2e-only-nextauth-secret-not-for-production-0123456789",
      LOG_LEVEL: "error", // 4xx are warnings since request logs; the 100-deduct test makes 34 of them,
    },
  },
});
