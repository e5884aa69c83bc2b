import { db as defaultDb, type Db } from "@/lib/db/client";
import { matchesEventType } from "@/lib/events/glob";
import { matchesFilter } from "@/lib/events/filter";
import { toEnvelope } from "@/lib/events/outbox";
import type { EventEnvelope } from "@/lib/events/catalogue";
import type { Subscriber } from "@/lib/generated/prisma/client";
import { immediate, iso, newId, prepared, toEvent, toSubscriber, whenNotBusy } from "@/lib/events/delivery/sqlite-store";

/**
 * The relay: fans committed events out to the durable queue. Each page — read events after the
 * durable cursor (`cursors` row "relay"), create one Delivery per active matching subscriber,
 * advance the cursor — is one transaction, so a crash or restart neither skips an event nor fans
 * it out twice (the unique (event_id, subscriber_id) is a second guard).
 *
 * SQLite commits ids in order (one writer), so `id > cursor` never skips a late commit there; on
 * PostgreSQL this needs the feed's in-flight guard (SPEC §8) before it is safe. The page is plain
 * SQL on the delivery store's connection (lib/events/delivery/sqlite-store.ts): one short
 * transaction however many deliveries it creates.
 */

export const RELAY_CURSOR = "relay";
/** Events per transaction: large enough that a burst fans out in a few commits, small enough to keep each short. */
const PAGE_SIZE = 500;

export interface RelayOptions {
  pageSize?: number;
  /** Called after a page commits with its events (the worker puts them on its bus). */
  onRelayed?: (envelopes: EventEnvelope[]) => void;
}

export interface RelayResult {
  events: number;
  deliveries: number;
  position: number;
}

/** Whether one subscriber gets one event. */
export function subscriberWants(
  subscriber: Pick<Subscriber, "id" | "event_types" | "filter" | "active">,
  envelope: EventEnvelope,
): boolean {
  if (!subscriber.active) return false;
  const payload = (envelope.payload ?? {}) as Record<string, unknown>;
  // A targeted test ping has its delivery created with the event; nobody else gets it.
  if (envelope.type === "test.ping" && typeof payload.subscriber_id === "string") return false;
  // A subscriber never hears of its own dead deliveries or disabling (that would feed a loop).
  if ((envelope.type === "delivery.dead" || envelope.type.startsWith("subscriber.")) && payload.subscriber_id === subscriber.id)
    return false;
  if (!matchesEventType(subscriber.event_types, envelope.type)) return false;
  return matchesFilter(subscriber.filter, envelope);
}

/** Relays one page; returns how many events it consumed and deliveries it created. */
export async function relayOnce(_client: Db = defaultDb, options: RelayOptions = {}): Promise<RelayResult> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  let page: Record<string, unknown>[] = [];
  // Envelopes parsed while matching, reused for `onRelayed` (each payload parsed once).
  const parsed = new Map<Record<string, unknown>, EventEnvelope>();
  const envelopeOf = (row: Record<string, unknown>): EventEnvelope => {
    let envelope = parsed.get(row);
    if (!envelope) parsed.set(row, (envelope = toEnvelope(toEvent(row))));
    return envelope;
  };
  const result = await whenNotBusy((s) => {
    // Two index probes decide that there is nothing to do, without taking the write lock.
    const known = prepared(s, "SELECT position FROM cursors WHERE name = ?").pluck().get(RELAY_CURSOR) as number | undefined;
    if (!prepared(s, "SELECT 1 FROM events WHERE id > ? LIMIT 1").get(known ?? 0))
      return { events: 0, deliveries: 0, position: known ?? 0 };
    return immediate(s, () => {
      const nowIso = iso(new Date());
      prepared(s, "INSERT OR IGNORE INTO cursors (name, position, updated_at) VALUES (?, 0, ?)").run(RELAY_CURSOR, nowIso);
      const position = prepared(s, "SELECT position FROM cursors WHERE name = ?").pluck().get(RELAY_CURSOR) as number;
      const events = prepared(s, "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?").all(position, pageSize) as Record<
        string,
        unknown
      >[];
      if (events.length === 0) return { events: 0, deliveries: 0, position };
      page = events;
      const subscribers = (prepared(s, "SELECT * FROM subscribers WHERE active = 1").all() as Record<string, unknown>[]).map((r) =>
        toSubscriber(r),
      );
      // The unique (event_id, subscriber_id) makes a replay (cursor moved back) create nothing twice.
      const insert = prepared(
        s,
        `INSERT OR IGNORE INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
      );
      let created = 0;
      if (subscribers.length > 0) {
        for (const row of events) {
          for (const sub of subscribers) {
            // The type first: most pairs end there, before the payload is even parsed.
            if (!matchesEventType(sub.event_types, row.type as string)) continue;
            if (subscriberWants(sub, envelopeOf(row)))
              created += insert.run(newId(), row.id, sub.id, row.created_at, nowIso, nowIso).changes;
          }
        }
      }
      const last = events[events.length - 1].id as number;
      prepared(s, "UPDATE cursors SET position = ?, updated_at = ? WHERE name = ?").run(last, nowIso, RELAY_CURSOR);
      return { events: events.length, deliveries: created, position: last };
    });
  });
  // After the commit: the page's events on this process's bus (seen once, whoever committed them).
  if (options.onRelayed && result.events > 0 && page.length > 0) options.onRelayed(page.map(envelopeOf));
  return result;
}

/** Relays until caught up (bounded), for the worker loop and tests. */
export async function relayAll(client: Db = defaultDb, maxPages = 50, options: RelayOptions = {}): Promise<RelayResult> {
  const total: RelayResult = { events: 0, deliveries: 0, position: 0 };
  for (let i = 0; i < maxPages; i++) {
    const r = await relayOnce(client, options);
    total.events += r.events;
    total.deliveries += r.deliveries;
    total.position = r.position;
    if (r.events === 0) break;
  }
  return total;
}
