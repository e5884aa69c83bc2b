import type { Claim, LoadedClaims } from "@/lib/events/delivery/store/types";
import { matchClaims } from "@/lib/events/delivery/store/match-claims";
import { prepared, toEvent, toSubscriber, whenNotBusy, type SqliteStore } from "@/lib/events/delivery/store/sqlite/connection";

/**
 * Load: the delivery, event and subscriber rows of claims, keeping only those still leased to
 * the asking worker (status processing, `locked_by` = it); a claim whose lease was lost or whose
 * row is gone comes back as skipped. A read: inside the claim's transaction or on its own.
 */

const LOAD = `SELECT d.id, d.event_id, d.subscriber_id, d.status, d.attempts, d.locked_by, e.id AS e_id, e.type AS e_type, e.payload AS e_payload, e.actor AS e_actor, e.trace_id AS e_trace_id, e.source AS e_source, e.created_at AS e_created_at
  FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id IN (SELECT value FROM json_each(?))`;

/** The load, on the caller's connection (inside or outside a transaction). */
export function loadIn(s: SqliteStore, claims: Claim[], workerId: string): LoadedClaims {
  const rows = prepared(s, LOAD).all(JSON.stringify(claims.map((c) => c.id))) as Record<string, unknown>[];
  const subscriberIds = JSON.stringify([...new Set(rows.map((r) => r.subscriber_id))]);
  const subscribers = new Map(
    (
      prepared(s, "SELECT * FROM subscribers WHERE id IN (SELECT value FROM json_each(?))").all(subscriberIds) as Record<string, unknown>[]
    ).map((r) => [r.id as string, toSubscriber(r)]),
  );
  return matchClaims(claims, rows, subscribers, workerId, toEvent);
}

export async function loadClaims(claims: Claim[], workerId: string): Promise<LoadedClaims> {
  if (claims.length === 0) return { jobs: [], skipped: [] };
  return whenNotBusy((s) => loadIn(s, claims, workerId));
}
