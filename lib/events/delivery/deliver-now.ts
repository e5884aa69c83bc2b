import { db as defaultDb, type Db } from "@/lib/db/client";
import { relayAll } from "@/lib/events/relay";
import { processClaim } from "@/lib/events/delivery/worker";
import { config } from "@/lib/config/env";

/**
 * Runs the deliveries of a few just-committed events now, for a caller that answers a person
 * waiting on the result (POST /api/pushover/check-alerts says whether the push went out). It is
 * the same durable path as the worker's — relay, a conditional claim of the pending delivery,
 * `processClaim` with its attempt row — only sooner, so a delivery is still sent once: whichever
 * of this call and the worker claims it first sends it; the other finds it taken.
 */

const POLL_MS = 100;

export interface EventDeliveryOutcome {
  /** The relay has fanned the event out (false: a backlog is ahead of it; the worker will). */
  relayed: boolean;
  /** Deliveries of the event to the matching subscribers (0: no subscriber wants it). */
  deliveries: number;
  /** At least one matching delivery of the event completed. */
  delivered: boolean;
  /** Last error of a matching delivery that did not complete (null when none failed). */
  error: string | null;
}

export async function deliverEventsNow(
  eventIds: number[],
  options: { workerId: string; kinds?: string[]; client?: Db; waitMs?: number },
): Promise<Map<number, EventDeliveryOutcome>> {
  const client = options.client ?? defaultDb;
  const out = new Map<number, EventDeliveryOutcome>(
    eventIds.map((id) => [id, { relayed: false, deliveries: 0, delivered: false, error: null }]),
  );
  if (eventIds.length === 0) return out;
  const { position } = await relayAll(client, 5);
  for (const [id, o] of out) o.relayed = id <= position;
  const where = { event_id: { in: eventIds }, ...(options.kinds ? { subscriber: { kind: { in: options.kinds } } } : {}) };
  const deliveries = await client.delivery.findMany({
    where,
    select: { id: true, status: true, locked_by: true, subscriber: { select: { ordered: true, active: true } } },
  });
  await Promise.all(
    deliveries
      // An ordered subscriber's delivery waits for its turn: left to the worker.
      .filter((d) => d.status === "pending" && d.subscriber.active && !d.subscriber.ordered)
      .map(async (d) => {
        const lockedUntil = new Date(Date.now() + config().DELIVERY_LEASE_MS);
        const won = await client.delivery.updateMany({
          where: { id: d.id, status: "pending", locked_by: d.locked_by, next_attempt_at: { lte: new Date() } },
          data: { status: "processing", locked_by: options.workerId, locked_until: lockedUntil },
        });
        if (won.count === 1) await processClaim(client, { id: d.id, trigger: "scheduled", lockedUntil }, { workerId: options.workerId });
      }),
  );
  // A delivery the worker claimed first: wait a little for its result.
  const deadline = Date.now() + (options.waitMs ?? 5000);
  let rows = await client.delivery.findMany({ where, select: { event_id: true, status: true, last_error: true } });
  while (rows.some((r) => r.status === "processing") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    rows = await client.delivery.findMany({ where, select: { event_id: true, status: true, last_error: true } });
  }
  for (const r of rows) {
    const o = out.get(r.event_id)!;
    o.deliveries += 1;
    if (r.status === "completed") o.delivered = true;
    else if (r.last_error) o.error = r.last_error;
  }
  return out;
}
