import type { Event } from "@/lib/generated/prisma/client";
import {
  leasedJob,
  type ClaimedDelivery,
  type FanOut,
  type RelayEvent,
  type RelayLease,
  type RelayedPage,
} from "@/lib/events/delivery/store/types";
import { NOW, pgStore, rows, toEvent, toSubscriber, transaction } from "@/lib/events/delivery/store/postgres/connection";

/**
 * Relay page on PostgreSQL: as on SQLite (relay-page.ts there), events after the durable cursor,
 * one pending delivery per (event, subscriber) the fan-out picks, and the cursor advanced, in one
 * transaction. The cursor row is locked (`FOR UPDATE`) before the page is read: a second relay
 * waits for the first to commit and then reads the advanced position (READ COMMITTED re-reads a
 * row it waited for), so no event is fanned out twice; `ON CONFLICT DO NOTHING` on the unique
 * (event_id, subscriber_id) is a second guard. A delivery is first due when its event was created.
 *
 * `id > cursor` skips no event only while event ids become visible in id order: on PostgreSQL
 * that is the writers' job (`mutate` takes the write lock first, issue [12]), not this page's.
 */

function relayEvent(row: Record<string, unknown>): RelayEvent {
  let parsed: Event | null = null;
  return { id: row.id as number, type: row.type as string, event: () => (parsed ??= toEvent(row)) };
}

// The events' created_at comes along as a third array (the page has read them): a join back to
// `events` here was planned as a hash join over the whole table on every page.
// A leased row (types.ts RelayLease) is inserted `processing` under the worker's lease, its
// deadline from the database clock as the claim's (claim-due.ts).
const INSERT_DELIVERIES = `INSERT INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, locked_by, locked_until, created_at, updated_at)
  SELECT gen_random_uuid()::text, v.event_id, v.subscriber_id, CASE WHEN v.leased THEN 'processing' ELSE 'pending' END, 0,
    v.due AT TIME ZONE 'UTC', CASE WHEN v.leased THEN $4 END,
    CASE WHEN v.leased THEN ${NOW} + $5::double precision * interval '1 millisecond' END, ${NOW}, ${NOW}
  FROM unnest($1::int[], $2::text[], $3::timestamptz[], $6::boolean[]) WITH ORDINALITY AS v(event_id, subscriber_id, due, leased, n)
  ORDER BY v.n
  ON CONFLICT (event_id, subscriber_id) DO NOTHING
  RETURNING id, event_id, subscriber_id, status`;

export async function relayPage(cursor: string, pageSize: number, fanOut: FanOut, lease?: RelayLease): Promise<RelayedPage> {
  const pool = pgStore().pool;
  // One statement of two index probes decides that there is nothing to do, without a transaction
  // or a lock. `max(id)` is always read from the end of the primary key; `id > cursor LIMIT 1`
  // was planned as a sequential scan whenever the statistics lagged a fast-growing table.
  const probe = (
    await rows<{ position: number | null; last: number | null }>(
      pool,
      "SELECT (SELECT position FROM cursors WHERE name = $1) AS position, (SELECT max(id) FROM events) AS last",
      [cursor],
    )
  )[0];
  const known = probe.position ?? 0;
  if (probe.last === null || probe.last <= known) return { events: [], deliveries: 0, jobs: [], position: known };
  return transaction(async (c) => {
    await c.query(`INSERT INTO cursors (name, position, updated_at) VALUES ($1, 0, ${NOW}) ON CONFLICT (name) DO NOTHING`, [cursor]);
    const position = (await rows<{ position: number }>(c, "SELECT position FROM cursors WHERE name = $1 FOR UPDATE", [cursor]))[0].position;
    const found = await rows<Record<string, unknown>>(c, "SELECT * FROM events WHERE id > $1 ORDER BY id LIMIT $2", [position, pageSize]);
    if (found.length === 0) return { events: [], deliveries: 0, jobs: [], position };
    const subscribers = (await rows<Record<string, unknown>>(c, "SELECT * FROM subscribers WHERE active")).map(toSubscriber);
    const events = found.map(relayEvent);
    const createdAt = new Map(found.map((r) => [r.id as number, (r.created_at as Date).toISOString()]));
    const byId = new Map(subscribers.map((sub) => [sub.id, sub]));
    const eventIds: number[] = [];
    const subscriberIds: string[] = [];
    const dueAt: string[] = [];
    const leased: boolean[] = [];
    let leasing = 0;
    if (subscribers.length > 0) {
      for (const e of events) {
        for (const subscriberId of fanOut(e, subscribers)) {
          const take = lease !== undefined && leasing < lease.limit && !byId.get(subscriberId)!.ordered;
          if (take) leasing++;
          eventIds.push(e.id);
          subscriberIds.push(subscriberId);
          dueAt.push(createdAt.get(e.id)!);
          leased.push(take);
        }
      }
    }
    // Taken before the insert, so the host-side deadline is never later than the database's.
    const lockedUntil = new Date(Date.now() + (lease?.leaseMs ?? 0));
    const inserted =
      eventIds.length > 0
        ? await rows<{ id: string; event_id: number; subscriber_id: string; status: string }>(c, INSERT_DELIVERIES, [
            eventIds,
            subscriberIds,
            dueAt,
            lease?.workerId ?? null,
            lease?.leaseMs ?? 0,
            leased,
          ])
        : [];
    const byEvent = new Map(events.map((e) => [e.id, e]));
    const jobs: ClaimedDelivery[] = inserted
      .filter((r) => r.status === "processing")
      .map((r) =>
        leasedJob(
          { id: r.id, event_id: r.event_id, subscriber_id: r.subscriber_id, attempts: 0 },
          byEvent.get(r.event_id)!.event(),
          byId.get(r.subscriber_id)!,
          lockedUntil,
        ),
      );
    const last = events[events.length - 1].id;
    await c.query(`UPDATE cursors SET position = $1, updated_at = ${NOW} WHERE name = $2`, [last, cursor]);
    return { events, deliveries: inserted.length, jobs, position: last };
  });
}
