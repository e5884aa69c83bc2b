import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { toEnvelope } from "@/lib/events/outbox";
import { handlerFor, type HandlerResult } from "@/lib/events/delivery/handlers";
import { nextAttemptDelayMs } from "@/lib/events/delivery/schedule";
import { deliveryStore } from "@/lib/events/delivery/store";
import type {
  AttemptResult,
  Claim,
  ClaimOptions,
  ClaimedDelivery,
  DeferredResult,
  Outcome,
  PlanRecord,
  RecordPlan,
  SubscriberState,
} from "@/lib/events/delivery/store/types";
import { logger } from "@/lib/log";

/**
 * Running deliveries, in three steps that each cost one short transaction per batch:
 *
 * 1. The store's `claimDue` picks due deliveries, leases them to this worker and loads them
 *    (two workers never both win a row).
 * 2. `attemptDelivery` runs the subscriber's handler (no database work) and decides the
 *    delivery's next state: completed; failed with the next attempt time (SPEC §8 schedule); dead
 *    after `max_attempts`.
 * 3. `recordAttempts` writes the outcomes of any number of attempts through the store: each
 *    delivery's next state, one DeliveryAttempt row per attempt, the subscribers' `failing_since`
 *    (decided here by `planRecord`) — all conditional on the lease still being ours. A delivery
 *    going dead, or a subscriber being disabled (410 Gone, or 5 days of failures without a
 *    success), goes through `mutate` so its event (`delivery.dead`, `subscriber.disabled`) and
 *    audit rows commit with the change.
 *
 * A lease that expires (the worker crashed) makes the delivery claimable again: at-least-once.
 * An `ordered` subscriber's delivery waits while an earlier one of that subscriber is unfinished.
 * The worker's loop (loop.ts) pipelines these steps and renews the leases of long attempts;
 * `runDeliveryBatch` runs them once, in order. The SQL is in the delivery store (store/, one file
 * per step); this file decides.
 */

// Defined with the store; imported from here by the rest of the app and the tests.
export { DEFAULT_BATCH, MANUAL_MARK } from "@/lib/events/delivery/store/types";
export type { AttemptResult, Claim, ClaimOptions, ClaimedDelivery, Outcome } from "@/lib/events/delivery/store/types";

/** A subscriber failing without a success for this long is disabled (SPEC §8). */
export const FAILING_DISABLE_MS = 5 * 24 * 3_600_000;

/** Claims up to `limit` due deliveries for this worker. */
export async function claimDue(_client: Db = defaultDb, options: ClaimOptions): Promise<Claim[]> {
  return (await deliveryStore().claimDue(options)).map((j) => j.claim);
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

/**
 * Which results are written plainly and which through `mutate`, and each subscriber's new
 * `failing_since`: attempts are taken in the order they finished; a failure starts (or continues)
 * the failing streak, a success ends it; 410 Gone or a streak of 5 days disables the subscriber
 * (once). Called by the store inside its transaction, with the subscribers' current state.
 */
export const planRecord: PlanRecord = Object.assign(planFor, { successesEndStreaks: true });

function planFor(results: AttemptResult[], subscribers: Map<string, SubscriberState>): RecordPlan {
  const failingSince = new Map<string, Date | null>();
  const disabling = new Set<string>();
  const plan: RecordPlan = { plain: [], deferred: [], failingSince: new Map() };
  for (const r of [...results].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime())) {
    const sub = subscribers.get(r.job.subscriber.id);
    let disableReason: string | null = null;
    if (sub) {
      const before = failingSince.has(sub.id) ? failingSince.get(sub.id)! : sub.failingSince;
      const since = r.result.ok ? null : (before ?? r.finishedAt);
      failingSince.set(sub.id, since);
      const reason = r.result.gone
        ? `Receiver answered 410 Gone (${r.result.url ?? "no url"})`
        : since !== null && r.finishedAt.getTime() - since.getTime() >= FAILING_DISABLE_MS
          ? "Failing for 5 days without a successful delivery"
          : null;
      if (reason && sub.active && !disabling.has(sub.id)) {
        disabling.add(sub.id);
        disableReason = reason;
      }
    }
    if (r.status === "dead" || disableReason) plan.deferred.push({ result: r, disableReason });
    else plan.plain.push(r);
  }
  for (const [id, since] of failingSince) {
    const was = subscribers.get(id)!.failingSince;
    if (since?.getTime() !== was?.getTime()) plan.failingSince.set(id, since);
  }
  return plan;
}

/** Everything written plainly: a deferred result whose event is not to be emitted (lease lost, or subscriber already disabled). */
const plainly: PlanRecord = (results) => ({ plain: results, deferred: [], failingSince: new Map() });

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
  const store = deliveryStore();
  const { outcomes, deferred, jobs } = next
    ? await store.recordAndClaim(results, workerId, planRecord, next)
    : { ...(await store.recordAttempts(results, workerId, planRecord)), jobs: [] };
  for (const d of deferred) outcomes.set(d.result, await recordWithEvents(client, d, workerId));
  for (const [r, o] of outcomes) if (o === "lease_lost") logger.warn({ delivery_id: r.job.delivery.id, workerId }, "delivery lease lost");
  return { outcomes, jobs };
}

class LeaseLost extends Error {}
class AlreadyDisabled extends Error {}

/** A dead delivery, or the attempt that disables its subscriber: the change and its event in one transaction. */
async function recordWithEvents(client: Db, { result: r, disableReason }: DeferredResult, workerId: string): Promise<Outcome> {
  const { delivery, subscriber, event } = r.job;
  const plain = async () => (await deliveryStore().recordAttempts([r], workerId, plainly)).outcomes.get(r)!;
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

/** Runs one claimed delivery to its next state. */
export async function processClaim(client: Db, claim: Claim, options: { workerId: string; now?: Date }): Promise<Outcome> {
  const { jobs } = await deliveryStore().loadClaims([claim], options.workerId);
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
  const jobs = await deliveryStore().claimDue(options);
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
