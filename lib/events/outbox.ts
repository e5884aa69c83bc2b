import type { EventEnvelope } from "@/lib/events/catalogue";
import type { Event } from "@/lib/generated/prisma/client";

/**
 * The outbox is the `events` table, written inside `mutate`'s transaction. This module turns rows
 * into envelopes and lets in-process code (SSE, caches) hear about commits made in this process
 * without polling; other processes see them through the relay (worker) and the feed.
 */

type Listener = (events: EventEnvelope[]) => void;
/**
 * On globalThis: Next compiles instrumentation.ts (which connects the bus here) and each route
 * (whose `mutate` notifies) as separate entries with their own copies of this module.
 */
const globalForOutbox = globalThis as unknown as { __prerollOutboxListeners?: Set<Listener> };
const listeners: Set<Listener> = (globalForOutbox.__prerollOutboxListeners ??= new Set<Listener>());

export function onCommittedEvents(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyCommitted(events: EventEnvelope[]): void {
  if (events.length === 0) return;
  for (const listener of listeners) {
    try {
      listener(events);
    } catch {
      // A listener's failure must not turn a committed change into an error response.
    }
  }
}

export function toEnvelope(row: Event): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload,
    metadata: {
      timestamp: row.created_at.toISOString(),
      actor: row.actor,
      traceId: row.trace_id,
      source: row.source,
    },
  };
}
