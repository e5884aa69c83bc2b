import type { BrowserContext, Page } from "@playwright/test";
import { expect } from "./fixtures";

/**
 * Network switches for the offline tests. `context.setOffline(true)` alone does not cut the
 * service worker's own fetches in Chromium, so going offline also aborts every request of the
 * context (pages and worker) the way a dropped Wi-Fi does.
 */
export async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  await context.route("**/*", (route) => route.abort("internetdisconnected"));
}

export async function goOnline(context: BrowserContext): Promise<void> {
  await context.unrouteAll({ behavior: "ignoreErrors" });
  await context.setOffline(false);
}

/** Waits until the service worker controls the page (its first install claims open pages). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  });
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
}

/** The header's pending count (`N pending`), 0 when none is shown. */
export async function pendingCount(page: Page): Promise<number> {
  const el = page.getByTestId("pending-count");
  if ((await el.count()) === 0) return 0;
  const text = (await el.textContent()) ?? "";
  return Number(/(\d+) pending/.exec(text)?.[1] ?? 0);
}

/** Lets the persisted query cache reach IndexedDB (it is written at most once a second). */
export async function flushPersistedCache(page: Page): Promise<void> {
  await page.waitForTimeout(1_300);
}

/** Waits until the worker keeps this page's HTML (for an offline reload). */
export async function waitForPageCached(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const cache = await caches.open("preroll-floor-pages");
        return !!(await cache.match(location.href, { ignoreVary: true }));
      }),
    )
    .toBe(true);
}
