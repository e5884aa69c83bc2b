import { openDB, type IDBPDatabase } from "idb";
import type { PersistedClient, Persister } from "@tanstack/react-query-persist-client";

/**
 * The query cache kept on the device (UI-GUIDE §4: floor pages render offline with their last
 * data). One record per user, so a shared tablet never shows one user's data to the next; the
 * schema version is the `buster`: a release that changes response shapes drops old copies.
 */
// 2: batches carry `mass_balance` (the floor's details and "Move to Done" read it).
export const QUERY_CACHE_VERSION = "2";
/** Older data than this is not restored (it would mislead more than help). */
export const QUERY_CACHE_MAX_AGE_MS = 7 * 24 * 3600_000;

const DB_NAME = "preroll-query-cache";
const STORE = "clients";
const WRITE_EVERY_MS = 1_000;

let dbPromise: Promise<IDBPDatabase> | null = null;
function database(): Promise<IDBPDatabase> {
  dbPromise ??= openDB(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(STORE);
    },
  });
  return dbPromise;
}

/**
 * A persister for `PersistQueryClientProvider`. The cache changes on every tap, so it writes at
 * most once a second — but the first change after a quiet second is written at once (data that
 * just arrived must be on the device before the user navigates away), and a pending write is
 * flushed when the page is hidden or closed.
 */
export function createQueryPersister(userId: string): Persister {
  let latest: PersistedClient | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastWrite = 0;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!latest) return;
    const value = latest;
    latest = null;
    lastWrite = Date.now();
    await (await database()).put(STORE, value, userId);
  };
  if (typeof window !== "undefined") {
    const onHide = () => {
      if (document.visibilityState === "hidden") void flush();
    };
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("pagehide", () => void flush());
  }
  return {
    persistClient(client) {
      latest = client;
      if (timer) return;
      const wait = Math.max(0, lastWrite + WRITE_EVERY_MS - Date.now());
      if (wait === 0) void flush();
      else timer = setTimeout(() => void flush(), wait);
    },
    async restoreClient() {
      return (await (await database()).get(STORE, userId)) as PersistedClient | undefined;
    },
    async removeClient() {
      latest = null;
      await (await database()).delete(STORE, userId);
    },
  };
}

/** Logout: this user's saved data leaves the device. */
export async function clearPersistedQueries(userId: string): Promise<void> {
  await (await database()).delete(STORE, userId);
}
