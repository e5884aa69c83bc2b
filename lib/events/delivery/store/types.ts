import type { HandlerResult } from "@/lib/events/delivery/handlers";
import type { Delivery, Event, Subscriber } from "@/lib/generated/prisma/client";

/**
 * The delivery queue's SQL steps behind one interface, one method per step (claim, load, record,
 * release, renew; the relay's page). The worker (worker.ts, loop.ts) decides what happens to a
 * delivery; a store only reads and writes rows, each step in one short transaction, and every
 * write is conditional on the lease still being the caller's.
 *
 * Implementations: SQLite (./sqlite/) and PostgreSQL (./postgres/: `FOR UPDATE SKIP LOCKED`
 * claims, ordered subscribers under a per-subscriber try-lock, the relay cursor advanced only from
 * where its page was read), one file per step each.
 *
 * Lease deadlines: the SQLite store computes `locked_until` from this host's clock
 * (`now + leaseMs`, `now` from `ClaimOptions` or `new Date()`), which is safe with one database
 * file on one host. The PostgreSQL store takes them, and what is due, from the database clock
 * (unless `now` is given), so that workers on several hosts agree on when a lease has expired.
 */

export const DEFAULT_BATCH = 10;
/** Set in `locked_by` of a pending delivery queued by hand: its next attempt's trigger is manual. */
export const MANUAL_MARK = "manual";

export interface ClaimOptions {
  workerId: string;
  leaseMs?: number;
  limit?: number;
  now?: Date;
  /**
   * Also look for failed deliveries whose retry is due and for expired leases (default true).
   * The loop skips these between its periodic full looks: only time makes them due.
   */
  retries?: boolean;
}

export interface Claim {
  id: string;
  trigger: "scheduled" | "manual";
  lockedUntil: Date;
  /** What the row was before this claim, to put it back if the worker stops before attempting it. */
  previous?: { status: string; lockedBy: string | null };
}

/** A claimed delivery with what its handler needs. */
export interface ClaimedDelivery {
  claim: Claim;
  delivery: Pick<Delivery, "id" | "event_id" | "subscriber_id" | "attempts">;
  event: Event;
  subscriber: Subscriber;
}

/** Claims split by whether they are still leased to the worker that asks. */
export interface LoadedClaims {
  jobs: ClaimedDelivery[];
  skipped: Claim[];
}

/** One attempt's outcome, ready to be recorded. */
export interface AttemptResult {
  job: ClaimedDelivery;
  result: HandlerResult;
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  status: "completed" | "failed" | "dead";
  nextAttemptAt: Date | null;
}

export type Outcome = "completed" | "failed" | "dead" | "disabled" | "lease_lost" | "skipped";

/** A result whose write emits an event (`delivery.dead`, `subscriber.disabled`): the worker writes it through `mutate`. */
export interface DeferredResult {
  result: AttemptResult;
  disableReason: string | null;
}

/** A subscriber's state as the record step reads it, inside its transaction. */
export interface SubscriberState {
  id: string;
  active: boolean;
  failingSince: Date | null;
}

/** What the worker decided for a batch of results, given their subscribers' state. */
export interface RecordPlan {
  /** Written by the store in its transaction, in this order. */
  plain: AttemptResult[];
  /** Left to the worker (they emit events). */
  deferred: DeferredResult[];
  /** Subscribers whose `failing_since` changes, with the new value. */
  failingSince: Map<string, Date | null>;
}

/** The worker's decision, called by the store inside the record transaction (so the state it sees is current). */
export type PlanRecord = ((results: AttemptResult[], subscribers: Map<string, SubscriberState>) => RecordPlan) & {
  /**
   * The plan promises that a batch whose attempts all succeeded is written plainly, whatever the
   * state, and ends its subscribers' failing streaks (`failing_since` null): the PostgreSQL store
   * then writes such a batch in one statement, without reading the state first.
   */
  readonly successesEndStreaks?: boolean;
};

export interface RecordedAttempts {
  /** Outcomes of the plan's `plain` results ("lease_lost" where the lease was no longer ours). */
  outcomes: Map<AttemptResult, Outcome>;
  deferred: DeferredResult[];
}

/**
 * A relay page may lease what it creates to the worker that runs it, up to `limit` deliveries of
 * unordered subscribers (in event order): they are inserted already `processing` under the
 * worker's lease, as a claim would leave them, and come back as jobs, so a delivery that can run
 * at once costs no claim (one row version and one transaction fewer).
 */
export interface RelayLease {
  workerId: string;
  leaseMs: number;
  limit: number;
}

/** One page of the relay: events read after the cursor and the deliveries created for them. */
export interface RelayedPage {
  events: RelayEvent[];
  /** Deliveries created, leased ones included. */
  deliveries: number;
  /** The deliveries leased to the asking worker (RelayLease), ready to attempt. */
  jobs: ClaimedDelivery[];
  /** The cursor after the page (unchanged when there was nothing to relay). */
  position: number;
}

/** An event as the relay's fan-out sees it: the type is at hand, the parsed event only on demand. */
export interface RelayEvent {
  id: number;
  type: string;
  /** The full event (its payload parsed once, on first call). */
  event(): Event;
}

/** Which subscribers (by id) get which event; called between the relay page's read and its write. */
export type FanOut = (event: RelayEvent, subscribers: Subscriber[]) => string[];

export interface DeliveryStore {
  /**
   * Claims up to `limit` due deliveries for `workerId`, leases them for `leaseMs` and loads what
   * their handlers need, in one transaction. Two workers never win the same row.
   */
  claimDue(options: ClaimOptions): Promise<ClaimedDelivery[]>;
  /** The rows of claims still leased to `workerId`; the others come back as skipped. */
  loadClaims(claims: Claim[], workerId: string): Promise<LoadedClaims>;
  /**
   * Reads the results' subscribers, asks `plan`, writes its plain results and `failing_since`, in
   * one transaction (a batch of successes may skip the read: `PlanRecord.successesEndStreaks`).
   */
  recordAttempts(results: AttemptResult[], workerId: string, plan: PlanRecord): Promise<RecordedAttempts>;
  /** `recordAttempts` and `claimDue`, in one transaction where the store can (one commit): the loop's steady state. */
  recordAndClaim(
    results: AttemptResult[],
    workerId: string,
    plan: PlanRecord,
    next: ClaimOptions,
  ): Promise<RecordedAttempts & { jobs: ClaimedDelivery[] }>;
  /** Puts claims never attempted back the way they were; returns how many were still ours. */
  releaseClaims(claims: Claim[], workerId: string): Promise<number>;
  /** Extends the leases of deliveries `workerId` still holds; returns how many it kept. */
  renewLeases(ids: string[], workerId: string, lockedUntil: Date): Promise<number>;
  /**
   * The relay's page: up to `pageSize` events after the durable cursor `cursor`, a pending
   * delivery per (event, subscriber) that `fanOut` picks among the active subscribers, and the
   * cursor advanced, in one transaction (no event skipped or fanned out twice); with `lease`, the
   * first of them are leased to its worker and returned as jobs.
   */
  relayPage(cursor: string, pageSize: number, fanOut: FanOut, lease?: RelayLease): Promise<RelayedPage>;
}

/** The job of a delivery a relay page created already leased (RelayLease): as a claim of a pending row. */
export function leasedJob(delivery: ClaimedDelivery["delivery"], event: Event, subscriber: Subscriber, lockedUntil: Date): ClaimedDelivery {
  return {
    claim: { id: delivery.id, trigger: "scheduled", lockedUntil, previous: { status: "pending", lockedBy: null } },
    delivery,
    event,
    subscriber,
  };
}
