import type { ActorContext } from "@/lib/context";
import { mutate, type Mutation } from "@/lib/db/mutate";

class NothingChanged<T> extends Error {
  constructor(readonly value: T) {
    super("nothing changed");
  }
}

/**
 * `mutate` for operations that may find, inside their transaction, that there is nothing to do
 * (an alert already dismissed, every alert in its cooldown): calling `unchanged(value)` ends the
 * body, rolls the empty transaction back and returns `value` — instead of the error `mutate`
 * raises for a mutation that emits no event. Deciding inside the transaction keeps concurrent
 * callers from both acting on the same stale read.
 */
export async function mutateIfChanged<T>(ctx: ActorContext, body: (m: Mutation, unchanged: (value: T) => never) => Promise<T>): Promise<T> {
  try {
    return await mutate(ctx, (m) =>
      body(m, (value) => {
        throw new NothingChanged(value);
      }),
    );
  } catch (err) {
    if (err instanceof NothingChanged) return err.value as T;
    throw err;
  }
}
