import type { Event } from "@/lib/generated/prisma/client";
import {
  leasedJob,
  type ClaimedDelivery,
  type FanOut,
  type RelayEvent,
  type RelayLease,
  type RelayedPage,
} from "@/lib/events/delivery/store/types";
import { NOW, fromJsonRow, pgStore, rows, toEvent, toSubscriber, prepared } from "@/lib/events/delivery/store/postgres/connection";

/**
 * Relay page on PostgreSQL: as on SQLite (relay-page.ts there), events after the durable cursor,
 * one pending delivery per (event, subscriber) the fan-out picks, and the cursor advanced — here
 * in two statements and no explicit transaction, because on this machine every round trip to
 * the server costs more CPU (both sides: a write, a wake-up, a read) than the work it carries:
 *
 * 1. READ_PAGE: the cursor's position, the events after it and, when there are any, the active
 *    subscribers, as one row (the pages as `json_agg`). An idle worker's whole look.
 * 2. WRITE_PAGE: the deliveries inserted and the cursor advanced in one statement (one
 *    transaction), on condition that the cursor still is where the page was read from. A second
 *    relay that read the same page waits on the cursor row, then finds it moved: it inserts
 *    nothing and reads the next page (READ COMMITTED re-checks the row it waited for). So no
 *    event is fanned out twice; `ON CONFLICT DO NOTHING` on the unique (event_id, subscriber_id)
 *    is a second guard. A delivery is first due when its event was created.
 *
 * `id > cursor` skips no event only while event ids become visible in id order: on PostgreSQL
 * that is the writers' job (`mutate` takes the write lock first, issue [12]), not this page's.
 */

// Events come as json: their `created_at` as ISO text (UTC wall time), their payload as written.
const READ_PAGE = prepared(
  "read_page",
  `SELECT p.position, page.events,
    CASE WHEN page.events IS NOT NULL THEN (SELECT json_agg(s) FROM subscribers s WHERE s.active) END AS subscribers
  FROM (SELECT COALESCE((SELECT position FROM cursors WHERE name = $1), 0) AS position) p,
  LATERAL (SELECT json_agg(e ORDER BY e.id) AS events FROM (SELECT * FROM events WHERE id > p.position ORDER BY id LIMIT $2) e) page`,
);

// $1–$6 the deliveries (columns of arrays) and the lease; $7 the cursor, $8 its new position,
// $9 the position the page was read from. A leased row (types.ts RelayLease) is inserted
// `processing` under the worker's lease, its deadline from the database clock as the claim's.
// Always one row: `advanced` (0: another relay took the page) and the inserted delivery, if any.
const WRITE_PAGE = prepared(
  "write_page",
  `WITH advanced AS (
    INSERT INTO cursors (name, position, updated_at) VALUES ($7, $8, ${NOW})
    ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at WHERE cursors.position = $9
    RETURNING 1),
  inserted AS (
    INSERT INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, locked_by, locked_until, created_at, updated_at)
    SELECT gen_random_uuid()::text, v.event_id, v.subscriber_id, CASE WHEN v.leased THEN 'processing' ELSE 'pending' END, 0,
      v.due AT TIME ZONE 'UTC', CASE WHEN v.leased THEN $4 END,
      CASE WHEN v.leased THEN ${NOW} + $5::double precision * interval '1 millisecond' END, ${NOW}, ${NOW}
    FROM unnest($1::int[], $2::text[], $3::timestamptz[], $6::boolean[]) WITH ORDINALITY AS v(event_id, subscriber_id, due, leased, n)
    WHERE EXISTS (SELECT 1 FROM advanced)
    ORDER BY v.n
    ON CONFLICT (event_id, subscriber_id) DO NOTHING
    RETURNING id, event_id, subscriber_id, status)
  SELECT (SELECT count(*) FROM advanced)::int AS advanced, i.id, i.event_id, i.subscriber_id, i.status
  FROM (SELECT 1) one LEFT JOIN inserted i ON true`,
);

/** A page that another relay took first is read again, this many times at most. */
const TRIES = 3;

interface PageRow {
  position: number;
  events: Record<string, unknown>[] | null;
  subscribers: Record<string, unknown>[] | null;
}

function relayEvent(row: Record<string, unknown>): RelayEvent {
  let parsed: Event | null = null;
  return { id: row.id as number, type: row.type as string, event: () => (parsed ??= toEvent(fromJsonRow(row))) };
}

export async function relayPage(cursor: string, pageSize: number, fanOut: FanOut, lease?: RelayLease): Promise<RelayedPage> {
  const pool = pgStore().pool;
  let position = 0;
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    const page = (await rows<PageRow>(pool, READ_PAGE, [cursor, pageSize]))[0];
    position = page.position;
    if (!page.events) break;
    const subscribers = (page.subscribers ?? []).map((s) => toSubscriber(fromJsonRow(s)));
    const events = page.events.map(relayEvent);
    const createdAt = new Map(page.events.map((r) => [r.id as number, `${r.created_at as string}Z`]));
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
    const last = events[events.length - 1].id;
    // Taken before the insert, so the host-side deadline is never later than the database's.
    const lockedUntil = new Date(Date.now() + (lease?.leaseMs ?? 0));
    const written = await rows<{ advanced: number; id: string | null; event_id: number; subscriber_id: string; status: string }>(
      pool,
      WRITE_PAGE,
      [eventIds, subscriberIds, dueAt, lease?.workerId ?? null, lease?.leaseMs ?? 0, leased, cursor, last, position],
    );
    if (written[0].advanced === 0) continue; // another relay took this page: read the next one
    const inserted = written.filter((r) => r.id !== null) as { id: string; event_id: number; subscriber_id: string; status: string }[];
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
    return { events, deliveries: inserted.length, jobs, position: last };
  }
  return { events: [], deliveries: 0, jobs: [], position };
}
