/**
 * The service worker served at `/sw.js` (the old system's path, so installed tablets update in
 * place). Built by workbox-webpack-plugin's InjectManifest (next.config.ts); it uses only
 * `workbox-*` runtime modules.
 *
 * - Precache: the build's `/_next/static` files, the offline page, the manifest and icons.
 * - `/_next/static/*` not precached: cache-first (file names are content hashes).
 * - Floor page navigations: network-first with a 3 s timeout into `preroll-floor-pages`; their
 *   HTML carries no user data (the data is in the persisted query cache). A floor URL never
 *   visited, or any other page offline, gets the offline page. A page shown by a client-side
 *   navigation is fetched into the same cache when the page says so (CACHE_FLOOR_PAGE).
 * - Nothing else is routed: API responses and RSC payloads always go to the network.
 * - Takeover: the first install of ours (a new device, or over the old system's worker) takes
 *   control at once and deletes caches that are not ours; later versions wait until the user
 *   picks `Reload` (no silent skipWaiting under an open page).
 */
import { clientsClaim, setCacheNameDetails, type RouteHandlerCallbackOptions } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { CacheFirst, NetworkFirst, NetworkOnly } from "workbox-strategies";
import { ExpirationPlugin } from "workbox-expiration";
import { CACHE_FLOOR_PAGE, CACHE_PREFIX, DRAIN_OUTBOX, OUTBOX_SYNC_TAG, SKIP_WAITING, cacheNames, isFloorPath } from "./cache-names";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

const OFFLINE_PAGE = "/offline.html";

// Asked when this script is first evaluated, before any install handler creates a cache of ours:
// was a version of ours here already?
const hadOurCaches = caches.keys().then((names) => names.some((name) => name.startsWith(`${CACHE_PREFIX}-`)));

setCacheNameDetails({ prefix: CACHE_PREFIX });

self.addEventListener("install", (event) => {
  event.waitUntil(
    hadOurCaches.then((ours) => {
      if (!ours) return self.skipWaiting();
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => !name.startsWith(`${CACHE_PREFIX}-`)).map((name) => caches.delete(name)))),
  );
});
clientsClaim();

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/_next/static/"),
  new CacheFirst({
    cacheName: cacheNames.staticAssets,
    plugins: [new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600, purgeOnQuotaError: true })],
  }),
);

// Only a 200 that was not redirected is kept: a redirect to /login (signed out) is never cached as `/`.
const floorPages = new NetworkFirst({
  cacheName: cacheNames.floorPages,
  networkTimeoutSeconds: 3,
  // Next's HTML varies on its RSC headers; this cache holds only full-page HTML, so match by URL.
  matchOptions: { ignoreVary: true },
  plugins: [
    { cacheWillUpdate: async ({ response }) => (response.status === 200 && !response.redirected ? response : null) },
    new ExpirationPlugin({ maxEntries: 100, purgeOnQuotaError: true }),
  ],
});
registerRoute(({ request, url, sameOrigin }) => sameOrigin && request.mode === "navigate" && isFloorPath(url.pathname), floorPages);

self.addEventListener("message", (event) => {
  const data = event.data as { type?: string; url?: unknown } | null;
  if (data?.type === SKIP_WAITING) void self.skipWaiting();
  if (data?.type === CACHE_FLOOR_PAGE && typeof data.url === "string") {
    const url = new URL(data.url, self.location.href);
    if (url.origin === self.location.origin && isFloorPath(url.pathname)) {
      url.hash = "";
      event.waitUntil(floorPages.handle({ event, request: new Request(url.href, { credentials: "same-origin" }) }).catch(() => undefined));
    }
  }
});

registerRoute(({ request, sameOrigin }) => sameOrigin && request.mode === "navigate", new NetworkOnly());

// Background Sync (Chromium only) is one more wake-up for the device outbox, never the only one:
// the outbox lives in the pages, which also send on start, `online`, visibility and a timer.
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
self.addEventListener("sync" as keyof ServiceWorkerGlobalScopeEventMap, (event) => {
  const sync = event as unknown as SyncEvent;
  if (sync.tag !== OUTBOX_SYNC_TAG) return;
  sync.waitUntil(
    self.clients.matchAll({ type: "window" }).then((pages) => {
      for (const page of pages) page.postMessage({ type: DRAIN_OUTBOX });
    }),
  );
});

setCatchHandler(async ({ request }: RouteHandlerCallbackOptions) => {
  if (request instanceof Request && request.mode === "navigate") {
    const page = await matchPrecache(OFFLINE_PAGE);
    if (page) return page;
  }
  return Response.error();
});
