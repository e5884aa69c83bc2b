/**
 * Cache Storage names of the service worker, shared with the page (logout clears `floorPages`).
 * Everything of ours starts with `preroll-`; a cache without the prefix is the old system's and is
 * deleted when our worker takes over.
 */
export const CACHE_PREFIX = "preroll";
export const cacheNames = {
  /** Visited floor pages' HTML (a shell without user data), network-first. */
  floorPages: `${CACHE_PREFIX}-floor-pages`,
  /** `/_next/static/*` not in the precache (e.g. a chunk of a newer build), cache-first. */
  staticAssets: `${CACHE_PREFIX}-static`,
} as const;

/** The floor pages whose HTML is kept for offline use (UI-GUIDE §2: the floor pages). */
export function isFloorPath(pathname: string): boolean {
  return pathname === "/" || pathname === "/inventory" || pathname === "/account" || /^\/batches\/(?!new$)[^/]+$/.test(pathname);
}

/** The message the page posts to a waiting worker when the user chose `Reload`. */
export const SKIP_WAITING = "SKIP_WAITING";

/**
 * The message a page posts when it shows a floor page the worker did not load itself (a client-side
 * navigation, or the visit that installed the worker): the worker fetches and keeps its HTML, so a
 * reload there works offline later.
 */
export const CACHE_FLOOR_PAGE = "CACHE_FLOOR_PAGE";

/** Background Sync tag the page registers while writes wait; the worker then wakes the pages. */
export const OUTBOX_SYNC_TAG = "preroll-outbox";
/** What the worker posts to its pages on that sync: send the device outbox now. */
export const DRAIN_OUTBOX = "DRAIN_OUTBOX";
