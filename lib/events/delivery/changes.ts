import { databaseUrl, isPostgresUrl } from "@/lib/db/client";
import { POSTGRES_MEMO_MS } from "@/lib/db/data-version";
import { changeToken, onChange } from "@/lib/db/pg-changes";
import { dataVersion, sqliteStore } from "@/lib/events/delivery/store/sqlite/connection";

/**
 * What wakes an idle delivery loop: "has another connection committed since I looked?".
 * SQLite: the store connection's `PRAGMA data_version` (its own commits — recording attempts —
 * do not move it). PostgreSQL: the process's LISTEN connection (lib/db/pg-changes.ts), which
 * also pushes, so the loop wakes at once instead of at its next poll; while that listener is
 * down, the token moves every `POSTGRES_MEMO_MS` time bucket.
 */
export function loopChangeVersion(): string {
  if (!isPostgresUrl(databaseUrl())) return `v${dataVersion(sqliteStore())}`;
  return changeToken() ?? `t${Math.floor(Date.now() / POSTGRES_MEMO_MS)}`;
}

/** Calls `cb` on a change notification (PostgreSQL); SQLite has no push, the loop polls. */
export function onLoopChange(cb: () => void): () => void {
  if (!isPostgresUrl(databaseUrl())) return () => undefined;
  return onChange(cb);
}
