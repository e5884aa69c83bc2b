import { db as defaultDb, type Db } from "@/lib/db/client";
import { matchesEventType } from "@/lib/events/glob";
import { matchesFilter } from "@/lib/events/filter";
import { toEnvelope } from "@/lib/events/outbox";
import type { EventEnvelope } from "@/lib/events/catalogue";
import type { Subscriber } from "@/lib/generated/prisma/client";
import { deliveryStore } from "@/lib/events/delivery/store";
import type { ClaimedDelivery, RelayEvent, RelayLease } from "@/lib/events/delivery/store/types";

/**
 * The relay: fans committed events out to the durable queue. Each page — read events after the
 * durable cursor (`cursors` row "relay"), create one Delivery per active matching subscriber,
 * advance the cursor — is one transaction of the delivery store (store/sqlite/relay-page.ts), so
 * a crash or restart neither skips an event nor fans it out twice; this file decides who gets what.
 *
 * SQLite commits ids in order (one writer), so `id > cursor` never skips a late commit there; on
 * PostgreSQL this needs the feed's in-flight guard (SPEC §8) before it is safe.
 */

export const RELAY_CURSOR = "relay";
/** Events per transaction: large enough that a burst fans out in a few commits, small enough to keep each short. */
const PAGE_SIZE = 500;

export interface RelayOptions {
  pageSize?: number;
  /** Called after a page commits with its events (the worker puts them on its bus). */
  onRelayed?: (envelopes: EventEnvelope[]) => void;
  /** Lease the first deliveries to this worker (the loop, when it has free slots and no backlog). */
  lease?: RelayLease;
}

export interface RelayResult {
  events: number;
  deliveries: number;
  position: number;
  /** Deliveries leased to `lease.workerId`, to start now. */
  jobs: ClaimedDelivery[];
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
  // Envelopes built while matching, reused for `onRelayed` (each payload parsed once).
  const envelopes = new Map<RelayEvent, EventEnvelope>();
  const envelopeOf = (e: RelayEvent): EventEnvelope => {
    let envelope = envelopes.get(e);
    if (!envelope) envelopes.set(e, (envelope = toEnvelope(e.event())));
    return envelope;
  };
  const page = await deliveryStore().relayPage(
    RELAY_CURSOR,
    options.pageSize ?? PAGE_SIZE,
    (e, subscribers) =>
      subscribers
        // The type first: most pairs end there, before the payload is even parsed.
        .filter((sub) => matchesEventType(sub.event_types, e.type) && subscriberWants(sub, envelopeOf(e)))
        .map((sub) => sub.id),
    options.lease,
  );
  // After the commit: the page's events on this process's bus (seen once, whoever committed them).
  if (options.onRelayed && page.events.length > 0) options.onRelayed(page.events.map(envelopeOf));
  return { events: page.events.length, deliveries: page.deliveries, position: page.position, jobs: page.jobs };
}

/** Relays until caught up (bounded), for the worker loop and tests. */
export async function relayAll(client: Db = defaultDb, maxPages = 50, options: RelayOptions = {}): Promise<RelayResult> {
  const total: RelayResult = { events: 0, deliveries: 0, position: 0, jobs: [] };
  for (let i = 0; i < maxPages; i++) {
    const r = await relayOnce(client, options);
    total.events += r.events;
    total.deliveries += r.deliveries;
    total.position = r.position;
    total.jobs.push(...r.jobs);
    if (r.events === 0) break;
  }
  return total;
}
