import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { expect, serverJson, serverPost, test } from "./fixtures";
import { flushPersistedCache, goOffline, goOnline, waitForServiceWorker } from "./offline-helpers";

/**
 * The installable app (issue [7]): manifest and icons at the old system's paths, the Workbox
 * service worker controlling the page, and the floor pages rendering offline from the device.
 */

const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

async function createBatch(request: APIRequestContext, baseURL: string, strain: string) {
  const res = await serverPost(request, baseURL, "/api/batches", { strain, input_grams: 2000, stage: 2, planned_0_5: 2000 });
  return res.batch as { id: string; strain: string };
}

test.describe("installable app", () => {
  test.use({ storageState: ({ operatorStorageState }, provide) => provide(operatorStorageState) });

  test("manifest, icons and the worker at the legacy paths; Chromium reports no installability errors", async ({ page }) => {
    const manifestRes = await page.request.get("/manifest.json");
    expect(manifestRes.status()).toBe(200);
    expect(manifestRes.headers()["content-type"]).toContain("application/manifest+json");
    const manifest = await manifestRes.json();
    expect(manifest).toMatchObject({
      id: "/",
      start_url: "/",
      display: "standalone",
      orientation: "any",
      name: "PreRoll Tracker",
      short_name: "PreRoll",
    });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const icons = manifest.icons as { src: string; sizes: string; purpose: string }[];
    expect(icons.map((i) => `${i.src} ${i.sizes} ${i.purpose}`)).toEqual([
      "/icon-192.png 192x192 any",
      "/icon-512.png 512x512 any",
      "/icon-maskable-512.png 512x512 maskable",
    ]);
    for (const [path, size] of [
      ["/icon-192.png", 192],
      ["/icon-512.png", 512],
      ["/icon-maskable-512.png", 512],
      ["/apple-touch-icon.png", 180],
    ] as const) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(200);
      expect(res.headers()["content-type"], path).toBe("image/png");
      expect(pngSize(await res.body()), path).toEqual({ width: size, height: size });
    }
    const favicon = await page.request.get("/favicon.ico");
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);

    const sw = await page.request.get("/sw.js");
    expect(sw.status()).toBe(200);
    expect(sw.headers()["cache-control"]).toContain("no-cache");
    const source = await sw.text();
    expect(source, "the precache manifest is injected").not.toContain("__WB_MANIFEST");
    expect(source).toContain("/offline.html");
    expect(source).toMatch(/\/_next\/static\/chunks\//);

    await page.goto("/");
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.json");
    await waitForServiceWorker(page);
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== "in-incognito")).toEqual([]);
  });

  test("offline, a reload of the board and of a batch page shows the last data and the offline status", async ({
    page,
    context,
    baseURL,
  }) => {
    const batch = await createBatch(page.request, baseURL!, `E2E Offline ${Date.now().toString(36)}`);
    await serverPost(page.request, baseURL!, `/api/batch/${batch.id}/counts`, { add_0_5: 75 });

    await page.goto("/");
    await waitForServiceWorker(page);
    // Visited online once: the page's HTML and its data are now on the device.
    await page.reload();
    await expect(page.getByRole("link", { name: batch.strain })).toBeVisible();
    await page.goto(`/batches/${batch.id}`);
    await expect(page.getByTestId("current-count")).toHaveText("75");
    await flushPersistedCache(page);

    await goOffline(context);
    try {
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker(), "the batch page comes from the service worker").toBe(true);
      await expect(page.getByTestId("current-count")).toHaveText("75");
      await expect(page.getByRole("status").filter({ hasText: "Offline since" })).toContainText(/data from \d/);

      const board = await page.goto("/");
      expect(board?.fromServiceWorker()).toBe(true);
      await expect(page.getByRole("link", { name: batch.strain })).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: "Offline since" })).toBeVisible();

      // A floor page never visited on this device: the offline page, not a browser error.
      await page.goto(`/batches/never-visited-${Date.now()}`);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(/offline/i);
    } finally {
      await goOnline(context);
    }
    await page.goto("/");
    await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible({ timeout: 15_000 });
    expect((await serverJson(page.request, `/api/batches/${batch.id}`)).batch.counts_0_5).toBe(75);
  });
});

test.describe("updates", () => {
  test.use({ storageState: ({ operatorStorageState }, provide) => provide(operatorStorageState) });

  test("a tablet with the old system's worker: ours takes control at once and deletes the old caches", async ({ page }) => {
    const swFile = path.join(process.cwd(), "public", "sw.js");
    const ours = fs.readFileSync(swFile, "utf8");
    // The old system's worker, at the same path, with a cache of its own and no skipWaiting of ours.
    const oldWorker = `
      self.addEventListener("install", (e) => e.waitUntil(caches.open("prerolltracker-static-v3").then((c) => c.put("/old-shell", new Response("old")))));
      self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
      self.addEventListener("fetch", () => undefined);
    `;
    try {
      fs.writeFileSync(swFile, oldWorker);
      await page.goto("/login");
      await page.evaluate(() => navigator.serviceWorker.register("/sw.js"));
      await waitForServiceWorker(page);
      expect(await page.evaluate(() => caches.keys())).toEqual(["prerolltracker-static-v3"]);
    } finally {
      fs.writeFileSync(swFile, ours);
    }
    // The new release is deployed; the tablet opens the app as usual.
    await page.goto("/");
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const r = await navigator.serviceWorker.getRegistration();
            const names = await caches.keys();
            return {
              waiting: !!r?.waiting,
              active: r?.active?.state ?? null,
              oldCache: names.includes("prerolltracker-static-v3"),
              precache: names.some((n) => n.startsWith("preroll-precache")),
            };
          }),
        { timeout: 20_000 },
      )
      .toEqual({ waiting: false, active: "activated", oldCache: false, precache: true });
    // Taken over without asking: there is nothing of ours to reload from.
    await expect(page.getByText("New version available")).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Production board" })).toBeVisible();
  });

  test("a new version waits until the user picks Reload in the prompt, which activates it", async ({ page }) => {
    // A new build's worker is a different /sw.js: the served file changes (restored afterwards).
    const swFile = path.join(process.cwd(), "public", "sw.js");
    const original = fs.readFileSync(swFile, "utf8");
    await page.goto("/");
    await waitForServiceWorker(page);
    const registration = () =>
      page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { waiting: !!r?.waiting, active: r?.active?.state ?? null };
      });
    try {
      fs.writeFileSync(swFile, `${original}\n// e2e: next version ${Date.now()}\n`);
      // What the periodic check does on a tablet that stays open.
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      await expect.poll(registration, { timeout: 15_000 }).toEqual({ waiting: true, active: "activated" });
      await expect(page.getByText("New version available")).toBeVisible();
      // Nothing switches under the open page on its own.
      await page.waitForTimeout(500);
      expect((await registration()).waiting).toBe(true);

      const reloaded = page.waitForEvent("load");
      await page.getByRole("button", { name: "Reload", exact: true }).click();
      await reloaded;
      await expect.poll(registration).toEqual({ waiting: false, active: "activated" });
      await expect(page.getByText("New version available")).toHaveCount(0);
    } finally {
      fs.writeFileSync(swFile, original);
    }
  });
});
