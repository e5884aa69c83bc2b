import { db, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import type { ActorContext } from "@/lib/context";
import { conflict, notFound } from "@/lib/http/errors";
import { MANUAL_MARK } from "@/lib/events/delivery/worker";
import { DELIVERY_STATUSES } from "@/lib/events/admin-response";
import type { Delivery, DeliveryAttempt, Prisma } from "@/lib/generated/prisma/client";

/** Admin operations on the delivery queue: list, show, retry, cancel, recover. */

/** The statuses (defined beside the response schemas, which the browser imports). */
export { DELIVERY_STATUSES };
const RETRYABLE = ["failed", "dead", "cancelled", "completed"];
const CANCELLABLE = ["pending", "failed"];

export function serializeDelivery(d: Delivery & { subscriber?: { name: string }; event?: { type: string } }) {
  return {
    id: d.id,
    event_id: d.event_id,
    event_type: d.event?.type ?? null,
    subscriber_id: d.subscriber_id,
    subscriber_name: d.subscriber?.name ?? null,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.next_attempt_at.toISOString(),
    locked_until: d.locked_until?.toISOString() ?? null,
    locked_by: d.locked_by === MANUAL_MARK ? null : d.locked_by,
    last_error: d.last_error,
    last_status_code: d.last_status_code,
    completed_at: d.completed_at?.toISOString() ?? null,
    created_at: d.created_at.toISOString(),
    updated_at: d.updated_at.toISOString(),
  };
}

export function serializeAttempt(a: DeliveryAttempt) {
  return {
    attempt_number: a.attempt_number,
    trigger: a.trigger,
    url: a.url,
    started_at: a.started_at.toISOString(),
    duration_ms: a.duration_ms,
    status_code: a.status_code,
    response_excerpt: a.response_excerpt,
    error: a.error,
    next_attempt_at: a.next_attempt_at?.toISOString() ?? null,
  };
}

export async function listDeliveries(
  filter: { status?: string[]; subscriber_id?: string; limit: number; before?: string },
  client: Db = db,
) {
  const where: Prisma.DeliveryWhereInput = {};
  if (filter.status?.length) where.status = { in: filter.status };
  if (filter.subscriber_id) where.subscriber_id = filter.subscriber_id;
  const rows = await client.delivery.findMany({
    where,
    orderBy: [{ created_at: "desc" }, { event_id: "desc" }],
    take: filter.limit,
    include: { subscriber: { select: { name: true } }, event: { select: { type: true } } },
  });
  const counts = await client.delivery.groupBy({
    by: ["status"],
    _count: { _all: true },
    where: filter.subscriber_id ? { subscriber_id: filter.subscriber_id } : {},
  });
  return {
    deliveries: rows.map(serializeDelivery),
    counts: Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])),
  };
}

export async function getDelivery(id: string, client: Db = db) {
  const d = await client.delivery.findUnique({
    where: { id },
    include: { subscriber: { select: { name: true } }, event: true, attempt_log: { orderBy: { attempt_number: "asc" } } },
  });
  if (!d) throw notFound("Delivery not found");
  return {
    ...serializeDelivery(d),
    event: {
      id: d.event.id,
      type: d.event.type,
      payload: d.event.payload,
      created_at: d.event.created_at.toISOString(),
      trace_id: d.event.trace_id,
    },
    attempt_log: d.attempt_log.map(serializeAttempt),
  };
}

/** Queues one delivery for an immediate manual attempt (a dead one gets one more try). */
export async function retryDelivery(ctx: ActorContext, id: string, client: Db = db) {
  await mutate(
    ctx,
    async (m) => {
      const d = await m.tx.delivery.findUnique({ where: { id } });
      if (!d) throw notFound("Delivery not found");
      if (!RETRYABLE.includes(d.status) && d.status !== "pending") throw conflict(`A ${d.status} delivery cannot be retried now`);
      await m.tx.delivery.update({
        where: { id },
        data: { status: "pending", next_attempt_at: m.now, locked_by: MANUAL_MARK, locked_until: null, completed_at: null },
      });
      await m.audit({ entity: "delivery", entityId: id, before: { status: d.status }, after: { status: "pending" } });
      await m.emit("delivery.retried", {
        delivery_id: id,
        subscriber_id: d.subscriber_id,
        event_id: d.event_id,
        previous_status: d.status,
      });
    },
    client,
  );
  return getDelivery(id, client);
}

export async function cancelDelivery(ctx: ActorContext, id: string, client: Db = db) {
  await mutate(
    ctx,
    async (m) => {
      const d = await m.tx.delivery.findUnique({ where: { id } });
      if (!d) throw notFound("Delivery not found");
      if (!CANCELLABLE.includes(d.status)) throw conflict(`A ${d.status} delivery cannot be cancelled`);
      const done = await m.tx.delivery.updateMany({
        where: { id, status: d.status },
        data: { status: "cancelled", locked_by: null, locked_until: null },
      });
      if (done.count !== 1) throw conflict("The delivery changed meanwhile; reload and try again");
      await m.audit({ entity: "delivery", entityId: id, before: { status: d.status }, after: { status: "cancelled" } });
      await m.emit("delivery.cancelled", {
        delivery_id: id,
        subscriber_id: d.subscriber_id,
        event_id: d.event_id,
        previous_status: d.status,
      });
    },
    client,
  );
  return getDelivery(id, client);
}

/** "Recover": requeue every failed or dead delivery of a subscriber created between two times. */
export async function recoverSubscriber(ctx: ActorContext, subscriberId: string, from: Date, to: Date, client: Db = db) {
  return mutate(
    ctx,
    async (m) => {
      const s = await m.tx.subscriber.findUnique({ where: { id: subscriberId } });
      if (!s) throw notFound("Subscriber not found");
      const { count } = await m.tx.delivery.updateMany({
        where: { subscriber_id: subscriberId, status: { in: ["failed", "dead"] }, created_at: { gte: from, lte: to } },
        data: { status: "pending", next_attempt_at: m.now, locked_by: MANUAL_MARK, locked_until: null },
      });
      await m.audit({
        entity: "subscriber",
        entityId: s.id,
        label: s.name,
        before: null,
        after: { recovered_from: from, recovered_to: to, requeued: count },
      });
      await m.emit("subscriber.recovered", {
        subscriber_id: s.id,
        name: s.name,
        from: from.toISOString(),
        to: to.toISOString(),
        requeued: count,
      });
      return { requeued: count };
    },
    client,
  );
}
