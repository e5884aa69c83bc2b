import type { ActorContext } from "@/lib/context";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";

class NothingChanged<T> extends Error {
  constructor(readonly value: T) {
    super("nothing changed");
  }
}

/**
 * `mutate` for operations that may find, inside their transaction, that there is nothing to do
 * (an alert already dismissed, every alert in its cooldown, a first admin that exists): calling
 * `unchanged(value)` ends the body, rolls the transaction back and returns `value` — instead of
 * the error `mutate` raises for a mutation that emits no event. Deciding inside the transaction
 * keeps concurrent callers (other requests, other processes, other instances) from both acting on
 * the same stale read: one writer at a time (SQLite's BEGIN IMMEDIATE, PostgreSQL's write lock).
 * It also rolls back a body that did write: a dry run ends with `unchanged(report)`.
 */
export async function mutateIfChanged<T>(
  ctx: ActorContext,
  body: (m: Mutation, unchanged: (value: T) => never) => Promise<T>,
  client: Db = defaultDb,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  try {
    return await mutate(
      ctx,
      (m) =>
        body(m, (value) => {
          throw new NothingChanged(value);
        }),
      client,
      options,
    );
  } catch (err) {
    if (err instanceof NothingChanged) return err.value as T;
    throw err;
  }
}
