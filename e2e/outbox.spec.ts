import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";
import { expect, FLOOR_USERS, serverJson, serverPost, test } from "./fixtures";
import { goOffline, goOnline, pendingCount, waitForPageCached, waitForServiceWorker } from "./offline-helpers";

/**
 * The device outbox (issue [7], UI-GUIDE §4): floor writes made offline are kept on the tablet,
 * shown at once, and sent when the network is back — each exactly once, in the order made; a
 * refused one is listed with the server's message. Every outcome is checked on the server.
 */

type BatchJson = { id: string; strain: string; stage: number; counts_0_5: number };
type AuditRow = { batch: string; field: string; old: unknown; new: unknown };

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

async function createBatch(request: APIRequestContext, baseURL: string, prefix: string): Promise<BatchJson> {
  const res = await serverPost(request, baseURL, "/api/batches", {
    strain: unique(prefix),
    input_grams: 5000,
    stage: 2,
    planned_0_5: 5000,
  });
  return res.batch as BatchJson;
}

const onServer = async (request: APIRequestContext, id: string) =>
  (await serverJson<{ batch: BatchJson }>(request, `/api/batches/${id}`)).batch;

/** The batch's audited values of one field, oldest first (the server's order of applying). */
async function auditedValues(request: APIRequestContext, id: string, field: string): Promise<unknown[]> {
  const rows = await serverJson<AuditRow[]>(request, `/api/audit?batch=${encodeURIComponent(id)}&field=${field}&limit=500`);
  return rows.map((r) => r.new).reverse();
}

async function openBatch(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/batches/${id}`);
  await expect(page.getByTestId("current-count").locator("visible=true")).toBeVisible();
  return page;
}

const tap = (page: Page, label: string) => page.getByRole("button", { name: label, exact: true }).click();
const count = (page: Page) => page.getByTestId("current-count").locator("visible=true");

test.describe("device outbox", () => {
  test.use({ storageState: ({ operatorStorageState }, provide) => provide(operatorStorageState) });

  test("50 writes made offline in three tabs: back online the 49 apply once and in order, the refused one is listed with the server's message", async ({
    context,
    browser,
    baseURL,
    adminStorageState,
  }) => {
    test.setTimeout(120_000);
    const request = context.request;
    const [a, b, c] = [
      await createBatch(request, baseURL!, "E2E Queue A"),
      await createBatch(request, baseURL!, "E2E Queue B"),
      await createBatch(request, baseURL!, "E2E Queue C"),
    ];
    const pageA = await openBatch(context, a.id);
    await waitForServiceWorker(pageA);
    const pageB = await openBatch(context, b.id);
    const pageC = await openBatch(context, c.id);

    await goOffline(context);
    for (let i = 0; i < 10; i++) await tap(pageA, "+25");
    await pageA.getByLabel("Exact count").fill("1000");
    await pageA.getByRole("button", { name: "Set count" }).click();
    for (let i = 0; i < 10; i++) await tap(pageA, "+50");
    await expect(count(pageA)).toHaveText("1,500");
    await tap(pageB, "+25");
    await expect(count(pageB)).toHaveText("25");
    for (let i = 0; i < 27; i++) await tap(pageC, "+100");
    await pageC.getByRole("button", { name: "Move to Finished" }).click();
    await expect(count(pageC)).toHaveText("2,700");
    await expect(pageC.getByRole("button", { name: "Move to Waiting on testing" })).toBeVisible();
    await expect(pageA.getByRole("status").filter({ hasText: "Offline since" })).toBeVisible();
    await expect.poll(() => pendingCount(pageA)).toBe(50);
    await expect(pageC.getByTestId("pending-count")).toHaveText("· 50 pending");

    // Meanwhile a manager deletes batch B: the tablet's write to it will be refused.
    const admin = await browser.newContext({ baseURL, storageState: adminStorageState });
    const deleted = await admin.request.delete(`/api/batches/${b.id}`, { headers: { origin: baseURL! } });
    expect(deleted.ok(), await deleted.text()).toBe(true);
    await admin.close();

    // Every answer the server gives the tablets, by Idempotency-Key: with one drainer no key is
    // answered twice (offline attempts never reached it).
    const answeredKeys: string[] = [];
    context.on("response", (r) => {
      const key = r.request().headers()["idempotency-key"];
      if (key) answeredKeys.push(key);
    });
    await goOnline(context);
    await expect.poll(() => pendingCount(pageA), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => pendingCount(pageC)).toBe(0);

    // On the server: each write once, in the order made.
    const serverA = await onServer(request, a.id);
    expect(serverA.counts_0_5).toBe(1500);
    const expectedA = [
      ...Array.from({ length: 10 }, (_, i) => 25 * (i + 1)),
      1000,
      ...Array.from({ length: 10 }, (_, i) => 1000 + 50 * (i + 1)),
    ];
    expect((await auditedValues(request, a.id, "counts_0_5")).map(Number)).toEqual(expectedA);
    const serverC = await onServer(request, c.id);
    expect(serverC.counts_0_5).toBe(2700);
    expect(serverC.stage).toBe(3);
    expect(answeredKeys).toHaveLength(50);
    expect(new Set(answeredKeys).size, "no write was sent twice").toBe(50);

    // The refused one: listed with the server's message, with discard and retry.
    const conflicts = pageA.getByRole("button", { name: "1 conflict" });
    await expect(conflicts).toBeVisible();
    await conflicts.click();
    const dialog = pageA.getByRole("dialog", { name: "Changes on this tablet" });
    const refused = dialog.getByRole("listitem", { name: new RegExp(b.strain) });
    await expect(refused).toContainText("Batch not found");
    await expect(refused.getByRole("button", { name: "Retry" })).toBeVisible();
    await refused.getByRole("button", { name: "Discard" }).click();
    await expect(dialog.getByText("Nothing was refused.")).toBeVisible();
    await expect(pageA.getByRole("button", { name: "1 conflict" })).toHaveCount(0);
  });

  test("a lost response and a network drop mid-replay: every write still applies exactly once", async ({ context, page, baseURL }) => {
    test.setTimeout(90_000);
    const batch = await createBatch(page.request, baseURL!, "E2E Lost");
    await page.goto(`/batches/${batch.id}`);
    await expect(count(page)).toHaveText("0");

    // The server applies the write, but its answer never reaches the tablet: the retry (same key) changes nothing.
    const keys: string[] = [];
    let first = true;
    await context.route(`**/api/batch/${batch.id}/counts`, async (route) => {
      keys.push(route.request().headers()["idempotency-key"]);
      if (!first) return route.continue();
      first = false;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await tap(page, "+25");
    await expect(count(page)).toHaveText("25");
    await expect.poll(() => keys.length, { timeout: 15_000 }).toBe(2);
    expect(keys[1]).toBe(keys[0]);
    await expect.poll(() => pendingCount(page)).toBe(0);
    expect((await onServer(page.request, batch.id)).counts_0_5).toBe(25);
    await context.unrouteAll({ behavior: "ignoreErrors" });

    // Ten taps offline; back online the network drops again after three of them went through.
    await goOffline(context);
    for (let i = 0; i < 10; i++) await tap(page, "+25");
    await expect.poll(() => pendingCount(page)).toBe(10);
    await context.unrouteAll({ behavior: "ignoreErrors" });
    let passed = 0;
    await context.route("**/*", (route) => {
      if (route.request().url().includes(`/api/batch/${batch.id}/counts`) && passed < 3) {
        passed++;
        return route.continue();
      }
      return route.abort("internetdisconnected");
    });
    await context.setOffline(false);
    await expect.poll(async () => (await onServer(page.request, batch.id)).counts_0_5, { timeout: 15_000 }).toBe(100);
    // The server has the third write; its answer may still be on the way to the tablet.
    await expect.poll(() => pendingCount(page)).toBe(7);
    await goOffline(context);
    await goOnline(context);
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(0);
    expect((await onServer(page.request, batch.id)).counts_0_5).toBe(275);
    await expect(count(page)).toHaveText("275");
  });

  test("a reload mid-queue keeps the queue, which drains when the network is back", async ({ context, page, baseURL }) => {
    // The drain's own 30 s allowance below must fit in the test's time (the steps before take up to ~15 s on a busy CI machine).
    test.setTimeout(60_000);
    const batch = await createBatch(page.request, baseURL!, "E2E Reload");
    await page.goto(`/batches/${batch.id}`);
    await waitForServiceWorker(page);
    await expect(count(page)).toHaveText("0");
    // The visit that installed the worker: the worker fetches this page's HTML for offline use.
    await waitForPageCached(page);
    await goOffline(context);
    for (let i = 0; i < 5; i++) await tap(page, "+25");
    await expect.poll(() => pendingCount(page)).toBe(5);
    await page.reload();
    await expect(count(page)).toHaveText("125");
    await expect.poll(() => pendingCount(page)).toBe(5);
    expect((await onServer(context.request, batch.id)).counts_0_5).toBe(0);
    await goOnline(context);
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(0);
    expect((await onServer(page.request, batch.id)).counts_0_5).toBe(125);
  });

  test("a session that expired offline: the queue pauses, and after signing in it drains as the same user", async ({
    context,
    page,
    baseURL,
  }) => {
    const batch = await createBatch(page.request, baseURL!, "E2E Expired");
    await page.goto(`/batches/${batch.id}`);
    await expect(count(page)).toHaveText("0");
    await goOffline(context);
    for (let i = 0; i < 3; i++) await tap(page, "+25");
    await expect.poll(() => pendingCount(page)).toBe(3);
    await context.clearCookies(); // the session ends while the tablet is offline
    await goOnline(context);
    const signIn = page.getByRole("link", { name: "Sign in to send" });
    await expect(signIn).toBeVisible({ timeout: 15_000 });
    expect(await pendingCount(page)).toBe(3);

    await signIn.click();
    await page.getByLabel("Username").fill(FLOOR_USERS.operator.username);
    await page.getByLabel("Password").fill(FLOOR_USERS.operator.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(new RegExp(`/batches/${batch.id}$`));
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(0);
    expect((await onServer(page.request, batch.id)).counts_0_5).toBe(75);
    const audit = await serverJson<(AuditRow & { actor?: string; user?: string })[]>(
      page.request,
      `/api/audit?batch=${batch.id}&field=counts_0_5`,
    );
    expect(audit).toHaveLength(3);
  });
});

test.describe("logout on a shared tablet", () => {
  test("logging out clears the user's data from the device; the next user sees none of it", async ({
    browser,
    baseURL,
    viewerStorageState,
  }) => {
    void viewerStorageState; // the fixture creates the second user
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Username").fill(FLOOR_USERS.operator.username);
    await page.getByLabel("Password").fill(FLOOR_USERS.operator.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByTestId("current-user")).toContainText(FLOOR_USERS.operator.username);
    const batch = await createBatch(page.request, baseURL!, "E2E Shared");
    await page.goto(`/batches/${batch.id}`);
    await waitForServiceWorker(page);
    await expect(count(page)).toHaveText("0");
    await page.waitForTimeout(1_300); // the persisted cache is written
    const stored = () =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open("preroll-query-cache");
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const keys = await new Promise<IDBValidKey[]>((resolve) => {
          if (!db.objectStoreNames.contains("clients")) return resolve([]);
          const r = db.transaction("clients").objectStore("clients").getAllKeys();
          r.onsuccess = () => resolve(r.result);
        });
        db.close();
        return { users: keys.map(String), floorPages: await caches.has("preroll-floor-pages") };
      });
    const before = await stored();
    expect(before.users).toHaveLength(1);
    expect(before.floorPages).toBe(true);
    const operatorId = before.users[0];

    // A write the server cannot take now (it answers 503): logging out asks first.
    await context.route(`**/api/batch/${batch.id}/counts`, (route) => route.fulfill({ status: 503, body: "{}" }));
    await tap(page, "+25");
    await expect.poll(() => pendingCount(page)).toBe(1);
    await page.getByRole("link", { name: "Log out" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("1 change has not been sent yet");
    await page.getByRole("button", { name: "Discard them and log out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await context.unrouteAll({ behavior: "ignoreErrors" });
    const after = await stored();
    expect(after.users).not.toContain(operatorId);
    expect(after.floorPages).toBe(false);

    // The next user on this tablet: their own data only, none of the previous user's.
    await page.getByLabel("Username").fill(FLOOR_USERS.viewer.username);
    await page.getByLabel("Password").fill(FLOOR_USERS.viewer.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByTestId("current-user")).toContainText(FLOOR_USERS.viewer.username);
    await expect(page.getByTestId("pending-count")).toHaveCount(0);
    await page.waitForTimeout(1_300);
    expect((await stored()).users).not.toContain(operatorId);
    expect((await onServer(page.request, batch.id)).counts_0_5).toBe(0);
    await context.close();
  });
});
