import type pg from "pg";
import { config } from "@/lib/config/env";
import { DEFAULT_BATCH, MANUAL_MARK, type Claim, type ClaimOptions, type ClaimedDelivery } from "@/lib/events/delivery/store/types";
import { NOW, iso, nowOr, pgStore, rows, transaction } from "@/lib/events/delivery/store/postgres/connection";
import { LOADED_COLUMNS, matchLoaded } from "@/lib/events/delivery/store/postgres/load-claims";

/**
 * Claim on PostgreSQL: who may be claimed is as on SQLite (claim-due.ts there): a pending or
 * failed delivery whose `next_attempt_at` has come, or a processing one whose lease expired, of
 * an active subscriber; an `ordered` subscriber offers only its earliest unfinished delivery.
 *
 * Concurrent claimers: each candidate query locks its rows `FOR UPDATE SKIP LOCKED` and its LIMIT
 * counts only rows it locked, so two claimers get disjoint batches without waiting for each other,
 * and the second takes the next due rows rather than nothing. The UPDATE that leases them runs on
 * rows already locked by this transaction, so the due conditions it was selected by still hold.
 *
 * Ordered subscribers: SKIP LOCKED alone would let a second claimer skip a locked head and take
 * the next delivery out of order. The claim first takes a transaction-scoped try-lock per ordered
 * subscriber (none waits: a subscriber another claimer holds is left to it), and only then, in a
 * later statement and so a snapshot taken after the previous holder committed, reads each locked
 * subscriber's head.
 *
 * Time: "due" and the lease (`locked_until = now + leaseMs`) use the database clock, shared by
 * every host, unless the caller passes `now` (tests). The returned `Claim.lockedUntil` is on this
 * host's clock, as the loop compares it with `Date.now()` to renew in time.
 */

/** Namespace of the per-subscriber try-lock (two-key advisory locks: apart from one-key ones). */
const ORDERED_LOCK = 0x64_6c_76; // "dlv"

interface Won extends Record<string, unknown> {
  id: string;
  event_id: number;
  prev_status: string;
  prev_locked_by: string | null;
  due: Date;
}

/**
 * The lease, returning what the handlers need (the rows loadClaims would read: the delivery as
 * leased and its event as `e_*` columns), so a claim costs no second round trip.
 */
const LEASE = `UPDATE deliveries d SET status = 'processing', locked_by = $1,
     locked_until = ${nowOr("$2")} + $3::double precision * interval '1 millisecond', updated_at = ${NOW}
   FROM c JOIN events e ON e.id = c.event_id WHERE d.id = c.id
   RETURNING c.status AS prev_status, c.locked_by AS prev_locked_by, c.due, ${LOADED_COLUMNS}`;

/*
 * Parameters of both claim statements: $1 worker, $2 now (null: the database's), $3 lease ms,
 * $4 limit; $5 the try-locked subscribers (ordered).
 */
const due = (now: string, retries: string) => `(d.status = 'pending' AND d.next_attempt_at <= ${nowOr(now)})
  OR (${retries} AND ((d.status = 'failed' AND d.next_attempt_at <= ${nowOr(now)}) OR (d.status = 'processing' AND d.locked_until < ${nowOr(now)})))`;
const DUE_AT = "CASE WHEN d.status = 'processing' THEN d.locked_until ELSE d.next_attempt_at END";

/**
 * Unordered subscribers' due deliveries, by due time (an expired lease by its `locked_until`).
 * Without retries only pending rows can be due, ordered as the (status, next_attempt_at) index is.
 */
const claimUnordered = (retries: boolean) => `WITH c AS (
    SELECT d.id, d.status, d.locked_by, d.event_id, ${DUE_AT} AS due FROM deliveries d
    WHERE (${due("$2", String(retries))}) AND d.subscriber_id IN (SELECT id FROM subscribers WHERE active AND NOT ordered)
    ORDER BY ${retries ? DUE_AT : "d.next_attempt_at"}, d.event_id LIMIT $4
    FOR UPDATE OF d SKIP LOCKED)
  ${LEASE}`;
const CLAIM_UNORDERED = { retries: claimUnordered(true), pending: claimUnordered(false) };

/** Try-locks on active ordered subscribers (OFFSET 0: filter first, then lock only those). */
const LOCK_ORDERED = `SELECT s.id FROM (SELECT id FROM subscribers WHERE active AND ordered OFFSET 0) s
  WHERE pg_try_advisory_xact_lock(${ORDERED_LOCK}, hashtext(s.id))`;

/** The head (earliest unfinished delivery) of each locked ordered subscriber, when it is due. */
const CLAIM_ORDERED = `WITH heads AS (
    SELECT s.id AS subscriber_id, (SELECT min(h.event_id) FROM (
        (SELECT event_id FROM deliveries WHERE subscriber_id = s.id AND status = 'pending' ORDER BY event_id LIMIT 1)
        UNION ALL (SELECT event_id FROM deliveries WHERE subscriber_id = s.id AND status = 'failed' ORDER BY event_id LIMIT 1)
        UNION ALL (SELECT event_id FROM deliveries WHERE subscriber_id = s.id AND status = 'processing' ORDER BY event_id LIMIT 1)
      ) h) AS event_id
    FROM unnest($5::text[]) AS s(id)),
  c AS (
    SELECT d.id, d.status, d.locked_by, d.event_id, ${DUE_AT} AS due FROM deliveries d
    JOIN heads ON d.subscriber_id = heads.subscriber_id AND d.event_id = heads.event_id
    WHERE ${due("$2", "true")}
    ORDER BY ${DUE_AT}, d.event_id LIMIT $4
    FOR UPDATE OF d SKIP LOCKED)
  ${LEASE}`;

/** The claim, inside a transaction the caller holds (also used by record-and-claim.ts). */
export async function claimIn(c: pg.PoolClient, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const limit = options.limit ?? DEFAULT_BATCH;
  if (limit <= 0) return [];
  const leaseMs = options.leaseMs ?? config().DELIVERY_LEASE_MS;
  const lockedUntil = new Date((options.now ?? new Date()).getTime() + leaseMs);
  const base = [options.workerId, iso(options.now), leaseMs, limit];
  const won: Won[] = [];
  const ordered = (await rows<{ id: string }>(c, LOCK_ORDERED)).map((r) => r.id);
  if (ordered.length > 0) won.push(...(await rows<Won>(c, CLAIM_ORDERED, [...base, ordered])));
  if (won.length < limit) {
    base[3] = limit - won.length;
    won.push(...(await rows<Won>(c, options.retries === false ? CLAIM_UNORDERED.pending : CLAIM_UNORDERED.retries, base)));
  }
  // Expired leases and the longest waiting first, as on SQLite.
  won.sort((a, b) => a.due.getTime() - b.due.getTime() || a.event_id - b.event_id);
  const claims: Claim[] = won.map((w) => ({
    id: w.id,
    trigger: w.prev_status === "pending" && w.prev_locked_by === MANUAL_MARK ? "manual" : "scheduled",
    lockedUntil,
    previous: { status: w.prev_status, lockedBy: w.prev_locked_by },
  }));
  return (await matchLoaded(c, claims, won, options.workerId)).jobs;
}

/** Is anything due? (An idle worker's usual answer, found without a transaction or a lock.) */
async function anythingDue(options: ClaimOptions): Promise<boolean> {
  const found = await rows(
    pgStore().pool,
    `SELECT 1 FROM deliveries d WHERE (${due("$1", "$2::boolean")})
       AND d.subscriber_id IN (SELECT id FROM subscribers WHERE active) LIMIT 1`,
    [iso(options.now), options.retries ?? true],
  );
  return found.length > 0;
}

export async function claimDue(options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const limit = options.limit ?? DEFAULT_BATCH;
  if (limit <= 0) return [];
  if (!(await anythingDue(options))) return [];
  return transaction((c) => claimIn(c, options));
}
