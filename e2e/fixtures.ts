import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";

/** The first admin that e2e/serve.mjs bootstraps (see webServer.env in playwright.config.ts). */
export const ADMIN_USERNAME = "admin";
export const ADMIN_PASSWORD = "e2e-admin-password";

/** Users the floor tests sign in as (created once per worker by the admin, through the API). */
export const FLOOR_USERS = {
  operator: { username: "e2e-floor-operator", password: "floor-operator-pass" },
  viewer: { username: "e2e-floor-viewer", password: "floor-viewer-pass" },
} as const;

/** Signs in through the login form, the way a user does; does not assert where it lands. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

async function signedInState(browser: Browser, baseURL: string | undefined, file: string, username: string, password: string) {
  const page = await browser.newPage({ baseURL, storageState: undefined });
  await login(page, username, password);
  await expect(page.getByTestId("current-user")).toContainText(username);
  await page.context().storageState({ path: file });
  await page.close();
  return file;
}

type Workers = { adminStorageState: string; operatorStorageState: string; viewerStorageState: string };

/**
 * `test` with worker-scoped sign-in states: each user signs in once per worker through the form
 * and the cookies are saved to a file. Tests opt in with
 * `test.use({ storageState: ({ operatorStorageState }, provide) => provide(operatorStorageState) })`
 * — this keeps the run far below the login limiter (5 attempts a minute per IP + username).
 */
export const test = base.extend<object, Workers>({
  // React's hydration and runtime errors in the browser console fail the test (UI-GUIDE §5).
  page: async ({ page }, provide) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /hydrat|Minified React error|did not match|Uncaught/i.test(message.text()))
        problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
    await provide(page);
    expect(problems, "errors in the browser console").toEqual([]);
  },
  adminStorageState: [
    async ({ browser }, provide, workerInfo) => {
      const file = path.join(workerInfo.project.outputDir, `.auth-admin-${workerInfo.workerIndex}.json`);
      await provide(await signedInState(browser, workerInfo.project.use.baseURL, file, ADMIN_USERNAME, ADMIN_PASSWORD));
    },
    { scope: "worker" },
  ],
  operatorStorageState: [
    async ({ browser, adminStorageState }, provide, workerInfo) => {
      await ensureUser(browser, workerInfo.project.use.baseURL!, adminStorageState, "operator");
      const file = path.join(workerInfo.project.outputDir, `.auth-operator-${workerInfo.workerIndex}.json`);
      const { username, password } = FLOOR_USERS.operator;
      await provide(await signedInState(browser, workerInfo.project.use.baseURL, file, username, password));
    },
    { scope: "worker" },
  ],
  viewerStorageState: [
    async ({ browser, adminStorageState }, provide, workerInfo) => {
      await ensureUser(browser, workerInfo.project.use.baseURL!, adminStorageState, "viewer");
      const file = path.join(workerInfo.project.outputDir, `.auth-viewer-${workerInfo.workerIndex}.json`);
      const { username, password } = FLOOR_USERS.viewer;
      await provide(await signedInState(browser, workerInfo.project.use.baseURL, file, username, password));
    },
    { scope: "worker" },
  ],
});

/** Creates a floor user through the admin API unless it exists (a retried worker finds it). */
async function ensureUser(browser: Browser, baseURL: string, adminState: string, role: keyof typeof FLOOR_USERS) {
  const context = await browser.newContext({ baseURL, storageState: adminState });
  const { username, password } = FLOOR_USERS[role];
  const res = await context.request.post("/api/users", { data: { username, password, role }, headers: { origin: baseURL } });
  if (!res.ok() && res.status() !== 409) throw new Error(`creating ${username}: ${res.status()} ${await res.text()}`);
  await context.close();
}

/** JSON of a GET through the page's own session: what the server holds, not what the screen shows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function serverJson<T = any>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

/** A session write through the API (needs the same-origin header the route wrapper checks). */
export async function serverPost(
  request: APIRequestContext,
  baseURL: string,
  url: string,
  data: unknown,
  method: "post" | "patch" = "post",
) {
  const res = await request[method](url, { data, headers: { origin: baseURL } });
  expect(res.ok(), `${method.toUpperCase()} ${url}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

/** A screenshot for people to look at (test-results/, not committed). */
export async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const size = page.viewportSize();
  await page.screenshot({ path: testInfo.outputPath(`${name}-${size?.width}x${size?.height}.png`), fullPage: true });
}

/** axe on the page as it is now: no serious or critical violations (UI-GUIDE §1, WCAG AA). */
export async function expectNoSeriousA11yViolations(page: Page) {
  // Toasts behind the newest one are stacked mid-animation (sonner fades their content), which axe
  // reads as low contrast depending on timing; the newest toast's colours are checked wherever one is up.
  const results = await new AxeBuilder({ page }).exclude('[data-sonner-toast]:not([data-front="true"])').analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

export { expect };
