import { wrap, type DBSchema, type IDBPDatabase } from "idb";
import type { OutboxEntry } from "./types";

/**
 * The outbox's IndexedDB store: one object store `entries`, keyed by an auto-increment `seq` (so
 * creation order holds across every tab of the device) and indexed by `user`.
 */

export const DEFAULT_OUTBOX_DB = "preroll-outbox";
const VERSION = 1;

interface OutboxDB extends DBSchema {
  entries: { key: number; value: OutboxEntry; indexes: { user: string } };
}

export type OutboxEntryPatch = Partial<Omit<OutboxEntry, "seq">>;

export interface OutboxStore {
  /** Stores a new entry; resolves with it (seq assigned) once the write is committed. */
  add(entry: Omit<OutboxEntry, "seq">): Promise<OutboxEntry>;
  /** The user's entries in seq order. */
  list(user: string): Promise<OutboxEntry[]>;
  get(seq: number): Promise<OutboxEntry | undefined>;
  /** Merges `patch` into the entry; undefined when it is gone (e.g. discarded in another tab). */
  update(seq: number, patch: OutboxEntryPatch): Promise<OutboxEntry | undefined>;
  remove(seq: number): Promise<void>;
  /** Removes every entry of the user; resolves with how many there were. */
  removeAllFor(user: string): Promise<number>;
  /** Distinct users that have entries. */
  users(): Promise<string[]>;
  close(): void;
}

export interface OpenOutboxStoreOptions {
  name?: string;
  /** The IndexedDB factory (tests pass a fresh fake-indexeddb one); default the global `indexedDB`. */
  indexedDB?: IDBFactory;
}

function openRaw(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("entries")) {
        const store = db.createObjectStore("entries", { keyPath: "seq", autoIncrement: true });
        store.createIndex("user", "user");
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Could not open IndexedDB "${name}"`));
    // Another tab holds an older version open; it closes itself on `versionchange` (below).
    request.onblocked = () => undefined;
  });
}

export async function openOutboxStore(opts: OpenOutboxStoreOptions = {}): Promise<OutboxStore> {
  const factory = opts.indexedDB ?? globalThis.indexedDB;
  if (!factory) throw new Error("IndexedDB is not available: the outbox cannot store changes on this device");
  const raw = await openRaw(factory, opts.name ?? DEFAULT_OUTBOX_DB);
  // A newer version of the app upgrading the schema in another tab must not be blocked by this one.
  raw.onversionchange = () => raw.close();
  const db = wrap(raw) as unknown as IDBPDatabase<OutboxDB>;
  return new IdbOutboxStore(db);
}

class IdbOutboxStore implements OutboxStore {
  constructor(private readonly db: IDBPDatabase<OutboxDB>) {}

  async add(entry: Omit<OutboxEntry, "seq">): Promise<OutboxEntry> {
    // A stray `seq` key (even undefined) must not reach the store: the key generator assigns it.
    const value: Partial<OutboxEntry> = { ...entry };
    delete value.seq;
    const tx = this.db.transaction("entries", "readwrite");
    const seq = await tx.store.add(value as OutboxEntry);
    await tx.done; // resolve only once committed: the caller relies on it surviving a reload
    return { ...value, seq } as OutboxEntry;
  }

  async list(user: string): Promise<OutboxEntry[]> {
    const entries = await this.db.getAllFromIndex("entries", "user", user);
    return entries.sort((a, b) => a.seq - b.seq);
  }

  get(seq: number): Promise<OutboxEntry | undefined> {
    return this.db.get("entries", seq);
  }

  async update(seq: number, patch: OutboxEntryPatch): Promise<OutboxEntry | undefined> {
    const tx = this.db.transaction("entries", "readwrite");
    const current = await tx.store.get(seq);
    let next: OutboxEntry | undefined;
    if (current) {
      next = { ...current, ...patch, seq };
      await tx.store.put(next);
    }
    await tx.done;
    return next;
  }

  async remove(seq: number): Promise<void> {
    const tx = this.db.transaction("entries", "readwrite");
    await tx.store.delete(seq);
    await tx.done;
  }

  async removeAllFor(user: string): Promise<number> {
    const tx = this.db.transaction("entries", "readwrite");
    const keys = await tx.store.index("user").getAllKeys(user);
    await Promise.all(keys.map((key) => tx.store.delete(key)));
    await tx.done;
    return keys.length;
  }

  async users(): Promise<string[]> {
    const users: string[] = [];
    let cursor = await this.db.transaction("entries").store.index("user").openKeyCursor(null, "nextunique");
    while (cursor) {
      users.push(cursor.key);
      cursor = await cursor.continue();
    }
    return users;
  }

  close(): void {
    this.db.close();
  }
}
