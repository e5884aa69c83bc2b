import type { Claim, LoadedClaims } from "@/lib/events/delivery/store/types";
import { matchClaims } from "@/lib/events/delivery/store/match-claims";
import { pgStore, rows, toEvent, toSubscriber, type Queryable } from "@/lib/events/delivery/store/postgres/connection";

/**
 * Load: the delivery, event and subscriber rows of claims, keeping only those still leased to
 * the asking worker (status processing, `locked_by` = it); a claim whose lease was lost or whose
 * row is gone comes back as skipped. A read: inside the claim's transaction or on its own.
 */

/** The delivery and event columns of a loaded claim (deliveries `d`, events `e`). */
export const LOADED_COLUMNS = `d.id, d.event_id, d.subscriber_id, d.status, d.attempts, d.locked_by, e.id AS e_id, e.type AS e_type,
    e.payload AS e_payload, e.actor AS e_actor, e.trace_id AS e_trace_id, e.source AS e_source, e.created_at AS e_created_at`;

const LOAD = `SELECT ${LOADED_COLUMNS} FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = ANY($1::text[])`;

/** Claims matched with their delivery + event rows (LOADED_COLUMNS) and their subscribers, read here. */
export async function matchLoaded(
  q: Queryable,
  claims: Claim[],
  found: Record<string, unknown>[],
  workerId: string,
): Promise<LoadedClaims> {
  const subscriberIds = [...new Set(found.map((r) => r.subscriber_id as string))];
  const subscribers = new Map(
    (await rows<Record<string, unknown>>(q, "SELECT * FROM subscribers WHERE id = ANY($1::text[])", [subscriberIds])).map((r) => [
      r.id as string,
      toSubscriber(r),
    ]),
  );
  return matchClaims(claims, found, subscribers, workerId, toEvent);
}

/** The load, outside any transaction (the claim returns these rows itself, claim-due.ts). */
export async function loadClaims(claims: Claim[], workerId: string): Promise<LoadedClaims> {
  if (claims.length === 0) return { jobs: [], skipped: [] };
  const pool = pgStore().pool;
  return matchLoaded(pool, claims, await rows<Record<string, unknown>>(pool, LOAD, [claims.map((c) => c.id)]), workerId);
}
