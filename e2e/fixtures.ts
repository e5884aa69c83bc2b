import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";

/** The first admin that e2e/serve.mjs bootstraps (see webServer.env in playwright.config.ts). */
export const ADMIN_USERNAME = "admin";
export const ADMIN_PASSWORD = "e2e-admin-password";

/** Signs in through the login form, the way a user does; does not assert where it lands. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/**
 * `test` with one extra worker-scoped fixture, `adminStorageState`: the admin signs in once per
 * worker through the form and the cookies are saved to a file. Tests that are about the signed-in
 * board opt in with `test.use({ storageState: ({ adminStorageState }, provide) => provide(adminStorageState) })`
 * — this keeps the run far below the login limiter (5 attempts a minute per IP + username).
 */
export const test = base.extend<object, { adminStorageState: string }>({
  adminStorageState: [
    async ({ browser }, provide, workerInfo) => {
      const file = path.join(workerInfo.project.outputDir, `.auth-admin-${workerInfo.workerIndex}.json`);
      const page = await browser.newPage({ baseURL: workerInfo.project.use.baseURL, storageState: undefined });
      await login(page, ADMIN_USERNAME, ADMIN_PASSWORD);
      await expect(page.getByTestId("current-user")).toContainText(ADMIN_USERNAME);
      await page.context().storageState({ path: file });
      await page.close();
      await provide(file);
    },
    { scope: "worker" },
  ],
});

export { expect };
