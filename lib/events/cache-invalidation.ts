import { invalidateMemos } from "@/lib/db/data-version";
import { bus as defaultBus, type EventBus } from "@/lib/events/bus";
import { registerCacheInvalidator } from "@/lib/events/delivery/handlers";

/**
 * Built-in cache invalidation (SPEC §4.1 "built-in handlers for cache invalidation").
 *
 * Every in-process cache of this app is a `memoByDataVersion` memo (settings, users and API keys
 * for auth, `/api/data`'s prepared JSON, Apex unit counts, rate projection, overview, inventories,
 * last-updated stamps). On SQLite `PRAGMA data_version` already invalidates them after any
 * process's commit, and on PostgreSQL the change listener does (LISTEN/NOTIFY,
 * lib/db/pg-changes.ts) while it is connected; events invalidate them as well (and are what
 * covers a PostgreSQL listener outage with the Redis fan-out up):
 *
 *   - `connectCacheInvalidation(bus)`: every committed event on the bus — from this process's
 *     outbox or another instance's through Redis — drops every memo. Not by event type: a mapping
 *     from types to caches that missed one would serve stale data, and events are rare next to the
 *     reads the memos save. Ephemeral bus-only envelopes (id ≤ 0) changed nothing and are ignored.
 *   - the durable `cache` subscriber kind (lib/events/delivery/handlers.ts) calls
 *     `invalidateForSubscriber`: the memos whose keys start with one of its config's `keys`
 *     (e.g. `["settings:", "json:"]`), or all of them without `keys`. It runs in the process that
 *     runs deliveries (the worker), so it covers that process's caches.
 */

/** Drops memos for a `cache` subscriber's delivery: those under `keys`, or all. */
export function invalidateForSubscriber(keys: string[] | undefined): void {
  invalidateMemos(keys && keys.length > 0 ? keys : undefined);
}

const connections = new WeakMap<EventBus, () => void>();

/** Subscribes the invalidation to a bus (idempotent per bus); returns the function that removes it. */
export function connectCacheInvalidation(target: EventBus = defaultBus): () => void {
  const existing = connections.get(target);
  if (existing) return existing;
  // Highest priority: caches are stale before any other subscriber (an SSE wake-up, a handler) reads.
  const subscriptionId = target.subscribe(
    "*",
    (envelope) => {
      if (envelope.id > 0) invalidateMemos();
    },
    { name: "cache-invalidation", priority: 1_000_000 },
  );
  const unregister = registerCacheInvalidator((_envelope, keys) => invalidateForSubscriber(keys));
  const disconnect = () => {
    target.unsubscribe(subscriptionId);
    unregister();
    if (connections.get(target) === disconnect) connections.delete(target);
  };
  connections.set(target, disconnect);
  return disconnect;
}
