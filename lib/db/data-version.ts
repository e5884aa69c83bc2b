import Database from "better-sqlite3";
import { databaseUrl, isPostgresUrl, sqlitePath } from "@/lib/db/client";

/**
 * "Has anything been committed since I last looked?" in microseconds, so that hot polling paths
 * (last-updated endpoints, API-key and session checks) read the database only after a change.
 *
 * SQLite's `PRAGMA data_version` changes whenever *another* connection commits. This module keeps
 * its own read-only connection that never writes, so every commit — by Prisma in this process, by
 * the worker, by a restore — is seen. On PostgreSQL there is no such signal: memoised values are
 * kept for at most `POSTGRES_MEMO_MS`.
 */

const POSTGRES_MEMO_MS = 1000;

let probe: Database.Database | null | undefined;
let probeUrl: string | undefined;
/** Prepared once per connection: `pragma()` would prepare a statement on every call. */
let versionStatement: Database.Statement | null = null;

function probeConnection(): Database.Database | null {
  const url = databaseUrl();
  if (probe !== undefined && probeUrl === url) return probe;
  probe?.close();
  probeUrl = url;
  const file = sqlitePath(url);
  if (isPostgresUrl(url) || file === ":memory:") return (probe = null);
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true, timeout: 30_000 });
    versionStatement = probe.prepare("PRAGMA data_version").pluck();
  } catch {
    probe = undefined; // database not created yet: try again next time
    return null;
  }
  return probe;
}

/** A token that changes whenever the database changes (SQLite), or every second (PostgreSQL). */
export function dataVersion(): string {
  const conn = probeConnection();
  if (!conn) return `t${Math.floor(Date.now() / POSTGRES_MEMO_MS)}`;
  return `v${versionStatement!.get()}`;
}

interface Memo<T> {
  version: string;
  value: Promise<T>;
}
const memos = new Map<string, Memo<unknown>>();
/** Keys may carry a date or a parameter; the oldest entries go first beyond this many. */
const MAX_MEMOS = 500;

/** `compute()` once per database version: callers between two commits share one result. */
export function memoByDataVersion<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const version = dataVersion();
  const hit = memos.get(key) as Memo<T> | undefined;
  if (hit && hit.version === version) return hit.value;
  const value = compute();
  memos.delete(key); // re-insert at the end: Map order is our recency order
  memos.set(key, { version, value });
  if (memos.size > MAX_MEMOS) memos.delete(memos.keys().next().value!);
  value.catch(() => memos.delete(key));
  return value;
}

/** Tests swap databases between files: forget the probe and every memo. */
export function resetDataVersionProbe(): void {
  probe?.close();
  probe = undefined;
  versionStatement = null;
  memos.clear();
}
