import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { toEnvelope } from "@/lib/events/outbox";
import { handlerFor, type HandlerResult } from "@/lib/events/delivery/handlers";
import { nextAttemptDelayMs } from "@/lib/events/delivery/schedule";
import { immediate, iso, prepared, toEvent, toSubscriber, whenNotBusy, type SqliteStore } from "@/lib/events/delivery/sqlite-store";
import { logger } from "@/lib/log";
import type { Delivery, Event, Subscriber } from "@/lib/generated/prisma/client";
import { config } from "@/lib/config/env";

/**
 * Running deliveries, in three steps that each cost one short transaction per batch:
 *
 * 1. `claimDeliveries` picks due deliveries, leases them to this worker and loads them, in one
 *    IMMEDIATE transaction: rows are read and won under the same write lock, with a conditional
 *    update on being due, so two workers never both win a row.
 * 2. `attemptDelivery` runs the subscriber's handler (no database work).
 * 3. `recordAttempts` writes the outcomes of any number of attempts: each delivery's next state
 *    (completed; failed with the next attempt time, SPEC §8 schedule; dead after `max_attempts`),
 *    one DeliveryAttempt row per attempt, the subscribers' `failing_since` — all conditional on
 *    the lease still being ours. A delivery going dead, or a subscriber being disabled (410 Gone,
 *    or 5 days of failures without a success), goes through `mutate` so its event
 *    (`delivery.dead`, `subscriber.disabled`) and audit rows commit with the change.
 *
 * A lease that expires (the worker crashed) makes the delivery claimable again: at-least-once.
 * An `ordered` subscriber's delivery waits while an earlier one of that subscriber is unfinished.
 * The worker's loop (loop.ts) pipelines these steps and renews the leases of long attempts;
 * `runDeliveryBatch` runs them once, in order. The SQL is in sqlite-store.ts's style: plain
 * statements on the store's connection (see there why).
 */

export const DEFAULT_BATCH = 10;
/** A subscriber failing without a success for this long is disabled (SPEC §8). */
export const FAILING_DISABLE_MS = 5 * 24 * 3_600_000;
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

interface Candidate {
  id: string;
  status: string;
  locked_by: string | null;
  locked_until: string | null;
  next_attempt_at: string;
  event_id: number;
}

/*
 * A `+` before a column in a condition keeps SQLite from using that column's index (the schema
 * has no ANALYZE statistics): statements on a list of ids must walk the primary key, not every
 * pending row of the status index.
 */
const CANDIDATE = "d.id, d.status, d.locked_by, d.locked_until, d.next_attempt_at, d.event_id";
const UNORDERED = "d.subscriber_id IN (SELECT id FROM subscribers WHERE active = 1 AND ordered = 0)";

function isDue(c: Candidate, nowIso: string): boolean {
  if (c.status === "processing") return c.locked_until !== null && c.locked_until < nowIso;
  return (c.status === "pending" || c.status === "failed") && c.next_attempt_at <= nowIso;
}

function findCandidates(s: SqliteStore, nowIso: string, limit: number, retries: boolean): Candidate[] {
  const candidates: Candidate[] = [];
  const subscribers = prepared(s, "SELECT id, ordered FROM subscribers WHERE active = 1").all() as { id: string; ordered: number }[];
  for (const sub of subscribers) {
    if (sub.ordered) {
      // Only the earliest unfinished delivery, when it is due. One index probe per status.
      let head: number | null = null;
      for (const status of ["pending", "failed", "processing"]) {
        const first = prepared(s, "SELECT event_id FROM deliveries WHERE subscriber_id = ? AND status = ? ORDER BY event_id LIMIT 1")
          .pluck()
          .get(sub.id, status) as number | undefined;
        if (first !== undefined && (head === null || first < head)) head = first;
      }
      if (head === null) continue;
      const row = prepared(s, `SELECT ${CANDIDATE} FROM deliveries d WHERE d.event_id = ? AND d.subscriber_id = ?`).get(
        head,
        sub.id,
      ) as Candidate;
      if (isDue(row, nowIso)) candidates.push(row);
    } else {
      // Per subscriber on (subscriber_id, status, event_id): a paused subscriber's backlog is never walked.
      // (`+`: on that index, not sorting every pending row found through the status one.)
      const pending = prepared(
        s,
        `SELECT ${CANDIDATE} FROM deliveries d WHERE d.subscriber_id = ? AND d.status = 'pending' AND +d.next_attempt_at <= ? ORDER BY d.event_id LIMIT ?`,
      );
      candidates.push(...(pending.all(sub.id, nowIso, limit) as Candidate[]));
    }
  }
  if (retries) {
    candidates.push(
      ...(prepared(
        s,
        `SELECT ${CANDIDATE} FROM deliveries d WHERE d.status = 'failed' AND d.next_attempt_at <= ? AND ${UNORDERED} ORDER BY d.next_attempt_at LIMIT ?`,
      ).all(nowIso, limit) as Candidate[]),
      // Only leased rows have a `locked_until`: walk that index, not every processing row.
      ...(prepared(
        s,
        `SELECT ${CANDIDATE} FROM deliveries d WHERE d.locked_until < ? AND +d.status = 'processing' AND +${UNORDERED} ORDER BY d.locked_until LIMIT ?`,
      ).all(nowIso, limit) as Candidate[]),
    );
  }
  // Expired leases first (their deliveries have waited longest), then by due time.
  const dueAt = (c: Candidate) => (c.status === "processing" ? c.locked_until! : c.next_attempt_at);
  candidates.sort((a, b) => (dueAt(a) < dueAt(b) ? -1 : dueAt(a) > dueAt(b) ? 1 : a.event_id - b.event_id));
  return candidates.slice(0, limit);
}

/** A claimed delivery with what its handler needs. */
export interface ClaimedDelivery {
  claim: Claim;
  delivery: Pick<Delivery, "id" | "event_id" | "subscriber_id" | "attempts">;
  event: Event;
  subscriber: Subscriber;
}

const LOAD = `SELECT d.id, d.event_id, d.subscriber_id, d.status, d.attempts, d.locked_by, e.id AS e_id, e.type AS e_type, e.payload AS e_payload, e.actor AS e_actor, e.trace_id AS e_trace_id, e.source AS e_source, e.created_at AS e_created_at
  FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id IN (SELECT value FROM json_each(?))`;

/** The rows of claims still leased to this worker (read inside or outside a transaction). */
function load(s: SqliteStore, claims: Claim[], workerId: string): { jobs: ClaimedDelivery[]; skipped: Claim[] } {
  const rows = prepared(s, LOAD).all(JSON.stringify(claims.map((c) => c.id))) as Record<string, unknown>[];
  const subscriberIds = JSON.stringify([...new Set(rows.map((r) => r.subscriber_id))]);
  const subscribers = new Map(
    (
      prepared(s, "SELECT * FROM subscribers WHERE id IN (SELECT value FROM json_each(?))").all(subscriberIds) as Record<string, unknown>[]
    ).map((r) => [r.id as string, toSubscriber(r)]),
  );
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  const jobs: ClaimedDelivery[] = [];
  const skipped: Claim[] = [];
  for (const claim of claims) {
    const row = byId.get(claim.id);
    const subscriber = row && subscribers.get(row.subscriber_id as string);
    if (!row || !subscriber || row.locked_by !== workerId || row.status !== "processing") {
      skipped.push(claim);
      continue;
    }
    const delivery = {
      id: row.id as string,
      event_id: row.event_id as number,
      subscriber_id: row.subscriber_id as string,
      attempts: row.attempts as number,
    };
    jobs.push({ claim, delivery, event: toEvent(row, "e_"), subscriber });
  }
  return { jobs, skipped };
}

/**
 * Claims up to `limit` due deliveries for this worker and loads what their handlers need, in one
 * IMMEDIATE transaction: candidates read and rows won under the same write lock, so no other
 * worker can win any of them (the UPDATE still repeats every condition).
 */
export async function claimDeliveries(options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const limit = options.limit ?? DEFAULT_BATCH;
  if (limit <= 0) return [];
  return whenNotBusy((s) => {
    // Nothing due (an idle worker's usual answer) is found without taking the write lock.
    if (findCandidates(s, iso(options.now ?? new Date()), 1, options.retries ?? true).length === 0) return [];
    return immediate(s, () => claimIn(s, options));
  });
}

/** The claim, inside a transaction the caller holds. */
function claimIn(s: SqliteStore, options: ClaimOptions): ClaimedDelivery[] {
  const limit = options.limit ?? DEFAULT_BATCH;
  if (limit <= 0) return [];
  const now = options.now ?? new Date();
  const nowIso = iso(now);
  const lockedUntil = new Date(now.getTime() + (options.leaseMs ?? config().DELIVERY_LEASE_MS));
  const candidates = findCandidates(s, nowIso, limit, options.retries ?? true);
  if (candidates.length === 0) return [];
  const won = new Set(
    prepared(
      s,
      `UPDATE deliveries SET status = 'processing', locked_by = ?, locked_until = ?, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?))
         AND ((+status = 'processing' AND +locked_until < ?) OR (+status IN ('pending', 'failed') AND +next_attempt_at <= ?))
       RETURNING id`,
    )
      .pluck()
      .all(options.workerId, iso(lockedUntil), nowIso, JSON.stringify(candidates.map((c) => c.id)), nowIso, nowIso) as string[],
  );
  const claims: Claim[] = candidates
    .filter((c) => won.has(c.id))
    .map((c) => ({
      id: c.id,
      trigger: c.status === "pending" && c.locked_by === MANUAL_MARK ? "manual" : "scheduled",
      lockedUntil,
      previous: { status: c.status, lockedBy: c.locked_by },
    }));
  return load(s, claims, options.workerId).jobs;
}

/** Claims up to `limit` due deliveries for this worker. */
export async function claimDue(_client: Db = defaultDb, options: ClaimOptions): Promise<Claim[]> {
  return (await claimDeliveries(options)).map((j) => j.claim);
}

/** Loads the rows of claimed deliveries still leased to this worker; the others come back apart. */
export async function loadClaims(_client: Db, claims: Claim[], workerId: string): Promise<{ jobs: ClaimedDelivery[]; skipped: Claim[] }> {
  if (claims.length === 0) return { jobs: [], skipped: [] };
  return whenNotBusy((s) => load(s, claims, workerId));
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

export interface AttemptOptions {
  /** The clock (tests drive it); the attempt's duration is added to it. */
  now?: Date;
  /** Upper bound for the handler; by default what is left of the lease, less 2 s. */
  deadlineMs?: number;
}

/** Runs the subscriber's handler for one claimed delivery. Never throws. */
export async function attemptDelivery(job: ClaimedDelivery, options: AttemptOptions = {}): Promise<AttemptResult> {
  const { subscriber, event, delivery, claim } = job;
  const attempt = delivery.attempts + 1;
  const startedAt = options.now ?? new Date();
  const started = performance.now();
  let result: HandlerResult;
  try {
    result = await handlerFor(subscriber.kind)({
      subscriber,
      envelope: toEnvelope(event),
      now: startedAt,
      deadlineMs: options.deadlineMs ?? Math.max(1000, claim.lockedUntil.getTime() - startedAt.getTime() - 2000),
    });
  } catch (err) {
    result = { ok: false, error: `Handler threw: ${(err as Error).message}` };
  }
  const durationMs = Math.round(performance.now() - started);
  const finishedAt = new Date(startedAt.getTime() + durationMs);
  let status: AttemptResult["status"];
  let nextAttemptAt: Date | null = null;
  if (result.ok) status = "completed";
  else if (result.gone) status = "failed";
  else if (attempt >= subscriber.max_attempts) status = "dead";
  else {
    status = "failed";
    nextAttemptAt = new Date(finishedAt.getTime() + nextAttemptDelayMs(attempt, result.retryAfterMs ?? null));
  }
  return { job, result, attempt, startedAt, finishedAt, durationMs, status, nextAttemptAt };
}

export type Outcome = "completed" | "failed" | "dead" | "disabled" | "lease_lost" | "skipped";

const LEASE_LOST_NOTE = "lease lost before the result was recorded";

interface SubscriberState {
  id: string;
  name: string;
  active: number;
  failing_since: string | null;
  disabled_reason: string | null;
}

/** A result whose write emits an event, done through `mutate` after the batch. */
interface Deferred {
  result: AttemptResult;
  disableReason: string | null;
}

function attemptRow(r: AttemptResult, lost: boolean) {
  return [
    r.job.delivery.id,
    r.attempt,
    r.job.claim.trigger,
    r.result.url ?? null,
    iso(r.startedAt),
    r.durationMs,
    r.result.statusCode ?? null,
    r.result.responseExcerpt ?? null,
    r.result.ok ? (lost ? LEASE_LOST_NOTE : null) : (r.result.error ?? "failed"),
    lost || !r.nextAttemptAt ? null : iso(r.nextAttemptAt),
  ];
}
const ATTEMPT_COLUMNS = `delivery_id, attempt_number, "trigger", url, started_at, duration_ms, status_code, response_excerpt, error, next_attempt_at`;
const INSERT_ATTEMPT = `INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** Many attempt rows in one statement, from a JSON array of `attemptRow`s. */
const INSERT_ATTEMPTS = `INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS})
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9 FROM json_each(?)`;

/** Writes one delivery's next state if the lease is still ours; false when it was lost. */
function writeDelivery(s: SqliteStore, r: AttemptResult, workerId: string): boolean {
  const nowIso = iso(new Date());
  if (r.status === "completed") {
    return (
      prepared(
        s,
        `UPDATE deliveries SET status = 'completed', attempts = ?, locked_by = NULL, locked_until = NULL, last_error = NULL, last_status_code = ?, completed_at = ?, updated_at = ?
         WHERE id = ? AND status = 'processing' AND locked_by = ?`,
      ).run(r.attempt, r.result.statusCode ?? null, iso(r.finishedAt), nowIso, r.job.delivery.id, workerId).changes === 1
    );
  }
  return (
    prepared(
      s,
      `UPDATE deliveries SET status = ?, attempts = ?, locked_by = NULL, locked_until = NULL, last_error = ?, last_status_code = ?, completed_at = NULL,
         next_attempt_at = COALESCE(?, next_attempt_at), updated_at = ?
       WHERE id = ? AND status = 'processing' AND locked_by = ?`,
    ).run(
      r.status,
      r.attempt,
      r.result.error ?? "failed",
      r.result.statusCode ?? null,
      r.nextAttemptAt ? iso(r.nextAttemptAt) : null,
      nowIso,
      r.job.delivery.id,
      workerId,
    ).changes === 1
  );
}

/**
 * Records attempts: one transaction for every result that emits no event, then one `mutate` per
 * result that does. `failing_since` follows the attempts in the order they finished.
 */
export async function recordAttempts(client: Db, results: AttemptResult[], workerId: string): Promise<Map<AttemptResult, Outcome>> {
  return (await recordAndClaim(client, results, workerId)).outcomes;
}

/**
 * `recordAttempts`, and in the same transaction (one commit, fewer pages written) the claim of
 * the next deliveries when `next` is given: the loop's steady state.
 */
export async function recordAndClaim(
  client: Db,
  results: AttemptResult[],
  workerId: string,
  next?: ClaimOptions,
): Promise<{ outcomes: Map<AttemptResult, Outcome>; jobs: ClaimedDelivery[] }> {
  if (results.length === 0 && !next) return { outcomes: new Map(), jobs: [] };
  const { outcomes, later, jobs } = await whenNotBusy((s) =>
    immediate(s, () => {
      const recorded = results.length > 0 ? recordIn(s, results, workerId) : { outcomes: new Map<AttemptResult, Outcome>(), later: [] };
      return { ...recorded, jobs: next ? claimIn(s, next) : [] };
    }),
  );
  for (const d of later) outcomes.set(d.result, await recordWithEvents(client, d, workerId));
  for (const [r, o] of outcomes) if (o === "lease_lost") logger.warn({ delivery_id: r.job.delivery.id, workerId }, "delivery lease lost");
  return { outcomes, jobs };
}

/** Everything but the results that emit an event, inside a transaction the caller holds. */
function recordIn(
  s: SqliteStore,
  results: AttemptResult[],
  workerId: string,
): { outcomes: Map<AttemptResult, Outcome>; later: Deferred[] } {
  const outcomes = new Map<AttemptResult, Outcome>();
  const ids = JSON.stringify([...new Set(results.map((r) => r.job.subscriber.id))]);
  const state = new Map(
    (
      prepared(
        s,
        "SELECT id, name, active, failing_since, disabled_reason FROM subscribers WHERE id IN (SELECT value FROM json_each(?))",
      ).all(ids) as SubscriberState[]
    ).map((r) => [r.id, r]),
  );
  const failingSince = new Map<string, string | null>();
  const disabling = new Set<string>();
  const later: Deferred[] = [];
  const now: AttemptResult[] = [];
  for (const r of [...results].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime())) {
    const sub = state.get(r.job.subscriber.id);
    let disableReason: string | null = null;
    if (sub) {
      const before = failingSince.has(sub.id) ? failingSince.get(sub.id)! : sub.failing_since;
      const since = r.result.ok ? null : (before ?? iso(r.finishedAt));
      failingSince.set(sub.id, since);
      const reason = r.result.gone
        ? `Receiver answered 410 Gone (${r.result.url ?? "no url"})`
        : since !== null && r.finishedAt.getTime() - new Date(since).getTime() >= FAILING_DISABLE_MS
          ? "Failing for 5 days without a successful delivery"
          : null;
      if (reason && sub.active === 1 && !disabling.has(sub.id)) {
        disabling.add(sub.id);
        disableReason = reason;
      }
    }
    if (r.status === "dead" || disableReason) later.push({ result: r, disableReason });
    else now.push(r);
  }
  const nowIso = iso(new Date());
  // Successes: one statement per status code (all 200 on a good day). Failures: one each,
  // as each has its own next attempt time.
  const lost = new Set<AttemptResult>();
  const byCode = new Map<number | null, AttemptResult[]>();
  for (const r of now) {
    if (r.status !== "completed") {
      if (!writeDelivery(s, r, workerId)) lost.add(r);
      continue;
    }
    const code = r.result.statusCode ?? null;
    const group = byCode.get(code);
    if (group) group.push(r);
    else byCode.set(code, [r]);
  }
  for (const [code, group] of byCode) {
    const done = new Set(
      prepared(
        s,
        `UPDATE deliveries SET status = 'completed', attempts = attempts + 1, locked_by = NULL, locked_until = NULL, last_error = NULL, last_status_code = ?,
           completed_at = ?, updated_at = ?
         WHERE id IN (SELECT value FROM json_each(?)) AND +status = 'processing' AND +locked_by = ?
         RETURNING id`,
      )
        .pluck()
        .all(
          code,
          iso(group[group.length - 1].finishedAt),
          nowIso,
          JSON.stringify(group.map((r) => r.job.delivery.id)),
          workerId,
        ) as string[],
    );
    for (const r of group) if (!done.has(r.job.delivery.id)) lost.add(r);
  }
  prepared(s, INSERT_ATTEMPTS).run(JSON.stringify(now.map((r) => attemptRow(r, lost.has(r)))));
  for (const r of now) outcomes.set(r, lost.has(r) ? "lease_lost" : r.status);
  for (const [id, since] of failingSince) {
    if (since !== state.get(id)!.failing_since)
      prepared(s, "UPDATE subscribers SET failing_since = ?, updated_at = ? WHERE id = ?").run(since, nowIso, id);
  }
  return { outcomes, later };
}

class LeaseLost extends Error {}
class AlreadyDisabled extends Error {}

/** A dead delivery, or the attempt that disables its subscriber: the change and its event in one transaction. */
async function recordWithEvents(client: Db, { result: r, disableReason }: Deferred, workerId: string): Promise<Outcome> {
  const { delivery, subscriber, event } = r.job;
  const plain = () =>
    whenNotBusy((s) =>
      immediate(s, () => {
        const won = writeDelivery(s, r, workerId);
        prepared(s, INSERT_ATTEMPT).run(...attemptRow(r, !won));
        return won ? r.status : ("lease_lost" as const);
      }),
    );
  let disabledNow = false;
  try {
    await mutate(
      systemContext("worker", "worker"),
      async (m) => {
        const data = {
          status: r.status,
          attempts: r.attempt,
          locked_by: null,
          locked_until: null,
          last_error: r.result.error ?? "failed",
          last_status_code: r.result.statusCode ?? null,
          completed_at: null,
          ...(r.nextAttemptAt ? { next_attempt_at: r.nextAttemptAt } : {}),
        };
        const updated = await m.tx.delivery.updateMany({ where: { id: delivery.id, status: "processing", locked_by: workerId }, data });
        if (updated.count !== 1) throw new LeaseLost();
        await m.tx.deliveryAttempt.create({
          data: {
            delivery_id: delivery.id,
            attempt_number: r.attempt,
            trigger: r.job.claim.trigger,
            url: r.result.url ?? null,
            started_at: r.startedAt,
            duration_ms: r.durationMs,
            status_code: r.result.statusCode ?? null,
            response_excerpt: r.result.responseExcerpt ?? null,
            error: r.result.error ?? "failed",
            next_attempt_at: r.nextAttemptAt,
          },
        });
        if (r.status === "dead") {
          await m.audit({
            entity: "delivery",
            entityId: delivery.id,
            label: subscriber.name,
            before: { status: "processing" },
            after: { status: "dead" },
          });
          await m.emit("delivery.dead", { delivery_id: delivery.id, subscriber_id: subscriber.id, event_id: event.id });
        }
        if (disableReason) {
          // Another worker may have disabled it meanwhile: one event per disabling.
          const current = await m.tx.subscriber.findUnique({
            where: { id: subscriber.id },
            select: { active: true, disabled_reason: true },
          });
          if (current?.active) {
            await m.tx.subscriber.update({ where: { id: subscriber.id }, data: { active: false, disabled_reason: disableReason } });
            await m.audit({
              entity: "subscriber",
              entityId: subscriber.id,
              label: subscriber.name,
              before: { active: true, disabled_reason: current.disabled_reason },
              after: { active: false, disabled_reason: disableReason },
            });
            await m.emit("subscriber.disabled", { subscriber_id: subscriber.id, name: subscriber.name, reason: disableReason });
            disabledNow = true;
          } else if (r.status !== "dead") {
            throw new AlreadyDisabled();
          }
        }
      },
      client,
    );
    return disabledNow ? "disabled" : r.status;
  } catch (err) {
    if (err instanceof LeaseLost || err instanceof AlreadyDisabled) return plain();
    throw err;
  }
}

/** Extends the leases of deliveries this worker is still attempting; returns how many it kept. */
export async function renewLeases(ids: string[], workerId: string, lockedUntil: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return whenNotBusy(
    (s) =>
      prepared(
        s,
        "UPDATE deliveries SET locked_until = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND +status = 'processing' AND +locked_by = ?",
      ).run(iso(lockedUntil), iso(new Date()), JSON.stringify(ids), workerId).changes,
  );
}

/** Puts claims that were never attempted back the way they were, for another worker to take. */
export async function releaseClaims(claims: Claim[], workerId: string): Promise<number> {
  if (claims.length === 0) return 0;
  return whenNotBusy((s) =>
    immediate(s, () => {
      let released = 0;
      const put = prepared(
        s,
        "UPDATE deliveries SET status = ?, locked_by = ?, locked_until = NULL, updated_at = ? WHERE id = ? AND status = 'processing' AND locked_by = ?",
      );
      for (const c of claims) {
        const previous = c.previous ?? { status: "pending", lockedBy: null };
        // An expired lease taken over goes back as due again; a manual retry keeps its mark.
        const status = previous.status === "processing" ? "failed" : previous.status;
        released += put.run(status, previous.lockedBy === MANUAL_MARK ? MANUAL_MARK : null, iso(new Date()), c.id, workerId).changes;
      }
      return released;
    }),
  );
}

/** Runs one claimed delivery to its next state. */
export async function processClaim(client: Db, claim: Claim, options: { workerId: string; now?: Date }): Promise<Outcome> {
  const { jobs } = await loadClaims(client, [claim], options.workerId);
  if (jobs.length === 0) return "skipped";
  const result = await attemptDelivery(jobs[0], { now: options.now });
  return (await recordAttempts(client, [result], options.workerId)).get(result) ?? "skipped";
}

export interface BatchResult {
  claimed: number;
  outcomes: Record<string, number>;
}

/** Claims a batch, runs it concurrently and records it. */
export async function runDeliveryBatch(client: Db = defaultDb, options: ClaimOptions): Promise<BatchResult> {
  const jobs = await claimDeliveries(options);
  const outcomes: Record<string, number> = {};
  const count = (o: string, n = 1) => (outcomes[o] = (outcomes[o] ?? 0) + n);
  const results = await Promise.all(jobs.map((job) => attemptDelivery(job, { now: options.now })));
  try {
    for (const o of (await recordAttempts(client, results, options.workerId)).values()) count(o);
  } catch (err) {
    logger.error({ err, deliveries: results.length }, "recording delivery attempts failed");
    count("error", results.length);
  }
  return { claimed: jobs.length, outcomes };
}
