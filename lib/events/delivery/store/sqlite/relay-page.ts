import type { Event } from "@/lib/generated/prisma/client";
import {
  leasedJob,
  type ClaimedDelivery,
  type FanOut,
  type RelayEvent,
  type RelayLease,
  type RelayedPage,
} from "@/lib/events/delivery/store/types";
import { immediate, iso, newId, prepared, toEvent, toSubscriber, whenNotBusy } from "@/lib/events/delivery/store/sqlite/connection";

/**
 * Relay page: reads events after the durable cursor (`cursors` row), creates one pending
 * delivery per (event, subscriber) the fan-out picks among the active subscribers, and advances
 * the cursor to the page's last id, in one IMMEDIATE transaction: a crash or restart neither
 * skips an event nor fans it out twice, and the unique (event_id, subscriber_id) is a second
 * guard (a replay creates nothing twice). A delivery is first due when its event was created.
 *
 * SQLite commits ids in order (one writer), so `id > cursor` never skips a late commit here.
 *
 * With a lease (types.ts RelayLease) the first `limit` deliveries of unordered subscribers are
 * inserted `processing` under the worker's lease (`locked_until` on this host's clock, as the
 * SQLite claim sets it) and returned as jobs.
 */

function relayEvent(row: Record<string, unknown>): RelayEvent {
  let parsed: Event | null = null;
  // The payload is parsed only for an event some subscriber's type matches (or that is published).
  return { id: row.id as number, type: row.type as string, event: () => (parsed ??= toEvent(row)) };
}

export async function relayPage(cursor: string, pageSize: number, fanOut: FanOut, lease?: RelayLease): Promise<RelayedPage> {
  return whenNotBusy((s) => {
    // Two index probes decide that there is nothing to do, without taking the write lock.
    const known = prepared(s, "SELECT position FROM cursors WHERE name = ?").pluck().get(cursor) as number | undefined;
    if (!prepared(s, "SELECT 1 FROM events WHERE id > ? LIMIT 1").get(known ?? 0))
      return { events: [], deliveries: 0, jobs: [], position: known ?? 0 };
    return immediate(s, () => {
      const nowIso = iso(new Date());
      prepared(s, "INSERT OR IGNORE INTO cursors (name, position, updated_at) VALUES (?, 0, ?)").run(cursor, nowIso);
      const position = prepared(s, "SELECT position FROM cursors WHERE name = ?").pluck().get(cursor) as number;
      const rows = prepared(s, "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?").all(position, pageSize) as Record<
        string,
        unknown
      >[];
      if (rows.length === 0) return { events: [], deliveries: 0, jobs: [], position };
      const subscribers = (prepared(s, "SELECT * FROM subscribers WHERE active = 1").all() as Record<string, unknown>[]).map((r) =>
        toSubscriber(r),
      );
      const insert = prepared(
        s,
        `INSERT OR IGNORE INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
      );
      const insertLeased = prepared(
        s,
        `INSERT OR IGNORE INTO deliveries (id, event_id, subscriber_id, status, attempts, next_attempt_at, locked_by, locked_until, created_at, updated_at)
         VALUES (?, ?, ?, 'processing', 0, ?, ?, ?, ?, ?)`,
      );
      const events = rows.map(relayEvent);
      const byId = new Map(subscribers.map((sub) => [sub.id, sub]));
      const lockedUntil = lease ? new Date(Date.now() + lease.leaseMs) : null;
      const jobs: ClaimedDelivery[] = [];
      let created = 0;
      if (subscribers.length > 0) {
        for (let i = 0; i < rows.length; i++) {
          for (const subscriberId of fanOut(events[i], subscribers)) {
            const id = newId();
            const subscriber = byId.get(subscriberId)!;
            if (lease && lockedUntil && jobs.length < lease.limit && !subscriber.ordered) {
              const added = insertLeased.run(
                id,
                rows[i].id,
                subscriberId,
                rows[i].created_at,
                lease.workerId,
                iso(lockedUntil),
                nowIso,
                nowIso,
              ).changes;
              created += added;
              if (added === 1)
                jobs.push(
                  leasedJob(
                    { id, event_id: events[i].id, subscriber_id: subscriberId, attempts: 0 },
                    events[i].event(),
                    subscriber,
                    lockedUntil,
                  ),
                );
            } else {
              created += insert.run(id, rows[i].id, subscriberId, rows[i].created_at, nowIso, nowIso).changes;
            }
          }
        }
      }
      const last = events[events.length - 1].id;
      prepared(s, "UPDATE cursors SET position = ?, updated_at = ? WHERE name = ?").run(last, nowIso, cursor);
      return { events, deliveries: created, jobs, position: last };
    });
  });
}
