import { db as defaultDb, type Db } from "@/lib/db/client";
import { matchesEventType } from "@/lib/events/glob";
import { matchesFilter } from "@/lib/events/filter";
import { toEnvelope } from "@/lib/events/outbox";
import type { EventEnvelope } from "@/lib/events/catalogue";
import type { Subscriber } from "@/lib/generated/prisma/client";

/**
 * The relay: fans committed events out to the durable queue. Each page — read events after the
 * durable cursor (`cursors` row "relay"), create one Delivery per active matching subscriber,
 * advance the cursor — is one transaction, so a crash or restart neither skips an event nor fans
 * it out twice (the unique (event_id, subscriber_id) is a second guard).
 *
 * SQLite commits ids in order (one writer), so `id > cursor` never skips a late commit there; on
 * PostgreSQL this needs the feed's in-flight guard (SPEC §8) before it is safe.
 */

export const RELAY_CURSOR = "relay";
const PAGE_SIZE = 200;

export interface RelayResult {
  events: number;
  deliveries: number;
  position: number;
}

/** Whether one subscriber gets one event. */
export function subscriberWants(subscriber: Pick<Subscriber, "id" | "event_types" | "filter" | "active">, envelope: EventEnvelope): boolean {
  if (!subscriber.active) return false;
  const payload = (envelope.payload ?? {}) as Record<string, unknown>;
  // A targeted test ping has its delivery created with the event; nobody else gets it.
  if (envelope.type === "test.ping" && typeof payload.subscriber_id === "string") return false;
  // A subscriber never hears of its own dead deliveries or disabling (that would feed a loop).
  if ((envelope.type === "delivery.dead" || envelope.type.startsWith("subscriber.")) && payload.subscriber_id === subscriber.id) return false;
  if (!matchesEventType(subscriber.event_types, envelope.type)) return false;
  return matchesFilter(subscriber.filter, envelope);
}

/** Relays one page; returns how many events it consumed and deliveries it created. */
export async function relayOnce(client: Db = defaultDb, options: { pageSize?: number } = {}): Promise<RelayResult> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  return client.$transaction(
    async (tx) => {
      const cursor = await tx.cursor.upsert({ where: { name: RELAY_CURSOR }, create: { name: RELAY_CURSOR, position: 0 }, update: {} });
      const events = await tx.event.findMany({ where: { id: { gt: cursor.position } }, orderBy: { id: "asc" }, take: pageSize });
      if (events.length === 0) return { events: 0, deliveries: 0, position: cursor.position };
      const subscribers = await tx.subscriber.findMany({ where: { active: true } });
      const wanted: { event_id: number; subscriber_id: string; next_attempt_at: Date }[] = [];
      for (const row of events) {
        const envelope = toEnvelope(row);
        for (const s of subscribers) {
          if (subscriberWants(s, envelope)) wanted.push({ event_id: row.id, subscriber_id: s.id, next_attempt_at: row.created_at });
        }
      }
      let created = 0;
      if (wanted.length > 0) {
        const existing = await tx.delivery.findMany({
          where: { event_id: { in: [...new Set(wanted.map((w) => w.event_id))] } },
          select: { event_id: true, subscriber_id: true },
        });
        const have = new Set(existing.map((d) => `${d.event_id}:${d.subscriber_id}`));
        const fresh = wanted.filter((w) => !have.has(`${w.event_id}:${w.subscriber_id}`));
        if (fresh.length > 0) created = (await tx.delivery.createMany({ data: fresh })).count;
      }
      const position = events[events.length - 1].id;
      await tx.cursor.update({ where: { name: RELAY_CURSOR }, data: { position } });
      return { events: events.length, deliveries: created, position };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

/** Relays until caught up (bounded), for the worker loop and tests. */
export async function relayAll(client: Db = defaultDb, maxPages = 50): Promise<RelayResult> {
  const total: RelayResult = { events: 0, deliveries: 0, position: 0 };
  for (let i = 0; i < maxPages; i++) {
    const r = await relayOnce(client);
    total.events += r.events;
    total.deliveries += r.deliveries;
    total.position = r.position;
    if (r.events === 0) break;
  }
  return total;
}
