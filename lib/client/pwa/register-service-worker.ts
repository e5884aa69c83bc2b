import { CACHE_FLOOR_PAGE, isFloorPath } from "@/lib/pwa/cache-names";

/** How often a tablet that stays open for days asks for a new version (besides each visit). */
const UPDATE_CHECK_MS = 30 * 60_000;

/**
 * Registers `/sw.js` with workbox-window (production builds only: `next dev` has no worker) and
 * reports a new version that waits. The worker never skips waiting on its own under an open page:
 * `activate()` tells it to, and the page reloads once the new worker controls it.
 * Returns a function that stops the periodic checks.
 */
export function registerServiceWorker(onUpdateWaiting: (activate: () => void) => void): () => void {
  if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return () => undefined;
  let stopped = false;
  let timer: number | undefined;
  const visible = () => {
    if (document.visibilityState === "visible") void registration.then((wb) => wb?.update());
  };
  const registration = import("workbox-window").then(({ Workbox }) => {
    if (stopped) return null;
    const wb = new Workbox("/sw.js", { scope: "/" });
    wb.addEventListener("waiting", () => {
      onUpdateWaiting(() => {
        wb.addEventListener("controlling", () => window.location.reload());
        // Posts `{ type: "SKIP_WAITING" }` (SKIP_WAITING) to the waiting worker, not the active one.
        wb.messageSkipWaiting();
      });
    });
    void wb.register().catch(() => undefined);
    timer = window.setInterval(() => void wb.update().catch(() => undefined), UPDATE_CHECK_MS);
    document.addEventListener("visibilitychange", visible);
    return wb;
  });
  return () => {
    stopped = true;
    window.clearInterval(timer);
    document.removeEventListener("visibilitychange", visible);
  };
}

/**
 * Asks the worker to keep this floor page's HTML for offline use: needed when the worker did not
 * load the page itself (a client-side navigation, or the visit that installed the worker).
 */
export function rememberFloorPage(href: string): void {
  if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
  const send = () => navigator.serviceWorker.controller?.postMessage({ type: CACHE_FLOOR_PAGE, url: href });
  if (!isFloorPath(new URL(href).pathname)) return;
  if (navigator.serviceWorker.controller) send();
  else navigator.serviceWorker.addEventListener("controllerchange", send, { once: true });
}
