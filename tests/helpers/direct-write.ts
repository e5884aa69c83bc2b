import { databaseUrl, db, isPostgresUrl } from "@/lib/db/client";
import { CHANGES_CHANNEL, changeToken, pgChangesState } from "@/lib/db/pg-changes";

/**
 * A test's write straight through Prisma (not `mutate`) that change detection must see, as it
 * sees every app commit. SQLite: `PRAGMA data_version` sees any commit, nothing to add.
 * PostgreSQL: app commits notify (`mutate`'s pg_notify), so this sends the same notification
 * and waits until this process's listener has heard it.
 */
export async function writeAsCommit<T>(write: () => Promise<T>): Promise<T> {
  if (!isPostgresUrl(databaseUrl())) return write();
  await until(() => changeToken() !== null, "the change listener to connect");
  const result = await write();
  const heard = pgChangesState().notifications;
  await db.$executeRawUnsafe(`SELECT pg_notify('${CHANGES_CHANNEL}', '0')`);
  await until(() => pgChangesState().notifications > heard, "the change notification");
  return result;
}

async function until(ok: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
