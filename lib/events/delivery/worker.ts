import { db as defaultDb, type Db, type Tx } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { toEnvelope } from "@/lib/events/outbox";
import { handlerFor, type HandlerResult } from "@/lib/events/delivery/handlers";
import { nextAttemptDelayMs } from "@/lib/events/delivery/schedule";
import { logger } from "@/lib/log";

/**
 * The delivery loop. A worker claims due deliveries with a lease — a conditional update on the
 * row's current (status, locked_by, locked_until), so two workers never both win one row — runs the
 * subscriber's handler, records a DeliveryAttempt and moves the delivery on: completed; failed with
 * the next attempt time (SPEC §8 schedule); dead after `max_attempts` (event `delivery.dead`).
 * A lease that expires (the worker crashed) makes the delivery claimable again: at-least-once.
 * An `ordered` subscriber's delivery waits while an earlier one of that subscriber is unfinished.
 */

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_BATCH = 10;
/** A subscriber failing without a success for this long is disabled (SPEC §8). */
export const FAILING_DISABLE_MS = 5 * 24 * 3_600_000;
/** Set in `locked_by` of a pending delivery queued by hand: its next attempt's trigger is manual. */
export const MANUAL_MARK = "manual";
const DONE = ["completed", "cancelled", "dead"];

export interface ClaimOptions {
  workerId: string;
  leaseMs?: number;
  limit?: number;
  now?: Date;
}

export interface Claim {
  id: string;
  trigger: "scheduled" | "manual";
  lockedUntil: Date;
}

/** Claims up to `limit` due deliveries for this worker. */
export async function claimDue(client: Db = defaultDb, options: ClaimOptions): Promise<Claim[]> {
  const now = options.now ?? new Date();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const limit = options.limit ?? DEFAULT_BATCH;
  const due = [
    { status: { in: ["pending", "failed"] }, next_attempt_at: { lte: now } },
    { status: "processing", locked_until: { lt: now } },
  ];
  const select = { id: true, status: true, locked_by: true, locked_until: true, next_attempt_at: true } as const;
  // Unordered subscribers: any due delivery.
  const candidates = await client.delivery.findMany({
    where: { subscriber: { active: true, ordered: false }, OR: due },
    orderBy: [{ next_attempt_at: "asc" }, { event_id: "asc" }],
    take: limit * 3,
    select,
  });
  // Ordered subscribers: only the earliest unfinished delivery of each, when it is due.
  const ordered = await client.subscriber.findMany({ where: { active: true, ordered: true }, select: { id: true } });
  for (const s of ordered) {
    const head = await client.delivery.findFirst({
      where: { subscriber_id: s.id, status: { notIn: DONE } },
      orderBy: { event_id: "asc" },
      select,
    });
    const isDue = head && (head.status === "processing" ? head.locked_until! < now : head.next_attempt_at <= now);
    if (head && isDue) candidates.push(head);
  }
  candidates.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime());
  const claims: Claim[] = [];
  for (const c of candidates) {
    if (claims.length >= limit) break;
    const lockedUntil = new Date(now.getTime() + leaseMs);
    const won = await client.delivery.updateMany({
      where: {
        id: c.id,
        status: c.status,
        locked_by: c.locked_by,
        locked_until: c.locked_until,
        AND: [c.status === "processing" ? { locked_until: { lt: now } } : { next_attempt_at: { lte: now } }],
      },
      data: { status: "processing", locked_by: options.workerId, locked_until: lockedUntil },
    });
    if (won.count === 1) {
      claims.push({ id: c.id, trigger: c.status === "pending" && c.locked_by === MANUAL_MARK ? "manual" : "scheduled", lockedUntil });
    }
  }
  return claims;
}

export type Outcome = "completed" | "failed" | "dead" | "disabled" | "lease_lost" | "skipped";

class LeaseLost extends Error {}

/** Runs one claimed delivery to its next state. */
export async function processClaim(client: Db, claim: Claim, options: { workerId: string; now?: Date }): Promise<Outcome> {
  const delivery = await client.delivery.findUnique({ where: { id: claim.id }, include: { event: true, subscriber: true } });
  if (!delivery || delivery.locked_by !== options.workerId || delivery.status !== "processing") return "skipped";
  const { subscriber, event } = delivery;
  const attempt = delivery.attempts + 1;
  const startedAt = options.now ?? new Date();
  const started = performance.now();
  let result: HandlerResult;
  try {
    result = await handlerFor(subscriber.kind)({
      subscriber,
      envelope: toEnvelope(event),
      now: startedAt,
      deadlineMs: Math.max(1000, claim.lockedUntil.getTime() - startedAt.getTime() - 2000),
    });
  } catch (err) {
    result = { ok: false, error: `Handler threw: ${(err as Error).message}` };
  }
  const duration = Math.round(performance.now() - started);
  const now = new Date(startedAt.getTime() + duration);

  let status: "completed" | "failed" | "dead";
  let nextAttemptAt: Date | null = null;
  if (result.ok) status = "completed";
  else if (result.gone) status = "failed";
  else if (attempt >= subscriber.max_attempts) status = "dead";
  else {
    status = "failed";
    nextAttemptAt = new Date(now.getTime() + nextAttemptDelayMs(attempt, result.retryAfterMs ?? null));
  }
  const failingSince = result.ok ? null : (subscriber.failing_since ?? now);
  const disableReason = result.gone
    ? `Receiver answered 410 Gone (${result.url ?? "no url"})`
    : !result.ok && now.getTime() - failingSince!.getTime() >= FAILING_DISABLE_MS
      ? "Failing for 5 days without a successful delivery"
      : null;

  const attemptRow = {
    delivery_id: delivery.id,
    attempt_number: attempt,
    trigger: claim.trigger,
    url: result.url ?? null,
    started_at: startedAt,
    duration_ms: duration,
    status_code: result.statusCode ?? null,
    response_excerpt: result.responseExcerpt ?? null,
    error: result.ok ? null : (result.error ?? "failed"),
    next_attempt_at: nextAttemptAt,
  };

  const write = async (tx: Tx, m?: Mutation) => {
    const updated = await tx.delivery.updateMany({
      where: { id: delivery.id, status: "processing", locked_by: options.workerId },
      data: {
        status,
        attempts: attempt,
        locked_by: null,
        locked_until: null,
        last_error: attemptRow.error,
        last_status_code: attemptRow.status_code,
        completed_at: status === "completed" ? now : null,
        ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt } : {}),
      },
    });
    if (updated.count !== 1) throw new LeaseLost();
    await tx.deliveryAttempt.create({ data: attemptRow });
    if ((subscriber.failing_since?.getTime() ?? null) !== (failingSince?.getTime() ?? null)) {
      await tx.subscriber.update({ where: { id: subscriber.id }, data: { failing_since: failingSince } });
    }
    if (!m) return;
    if (status === "dead") {
      await m.audit({ entity: "delivery", entityId: delivery.id, label: subscriber.name, before: { status: "processing" }, after: { status: "dead" } });
      await m.emit("delivery.dead", { delivery_id: delivery.id, subscriber_id: subscriber.id, event_id: event.id });
    }
    if (disableReason) {
      await tx.subscriber.update({ where: { id: subscriber.id }, data: { active: false, disabled_reason: disableReason } });
      await m.audit({
        entity: "subscriber",
        entityId: subscriber.id,
        label: subscriber.name,
        before: { active: subscriber.active, disabled_reason: subscriber.disabled_reason },
        after: { active: false, disabled_reason: disableReason },
      });
      await m.emit("subscriber.disabled", { subscriber_id: subscriber.id, name: subscriber.name, reason: disableReason });
    }
  };

  try {
    if (status === "dead" || disableReason) {
      await mutate(systemContext("worker", "worker"), async (m) => write(m.tx, m), client);
    } else {
      await client.$transaction(async (tx) => write(tx), { timeout: 30_000, maxWait: 30_000 });
    }
  } catch (err) {
    if (!(err instanceof LeaseLost)) throw err;
    // Another worker took the delivery after our lease ran out; the attempt still happened.
    await client.deliveryAttempt.create({ data: { ...attemptRow, error: attemptRow.error ?? "lease lost before the result was recorded" } });
    logger.warn({ delivery_id: delivery.id, workerId: options.workerId }, "delivery lease lost");
    return "lease_lost";
  }
  if (disableReason) return "disabled";
  return status;
}

export interface BatchResult {
  claimed: number;
  outcomes: Record<string, number>;
}

/** Claims a batch and runs it concurrently. */
export async function runDeliveryBatch(client: Db = defaultDb, options: ClaimOptions): Promise<BatchResult> {
  const claims = await claimDue(client, options);
  const outcomes: Record<string, number> = {};
  await Promise.all(
    claims.map(async (claim) => {
      let outcome: Outcome | "error";
      try {
        outcome = await processClaim(client, claim, { workerId: options.workerId, now: options.now });
      } catch (err) {
        logger.error({ err, delivery_id: claim.id }, "delivery processing failed");
        outcome = "error";
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }),
  );
  return { claimed: claims.length, outcomes };
}
