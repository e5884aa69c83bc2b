import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import type { ActorContext } from "@/lib/context";
import { ApiError, conflict, notFound } from "@/lib/http/errors";
import { Prisma, type EventSource, type InboundEvent } from "@/lib/generated/prisma/client";
import { mapEventType, type FeedEvent } from "@/lib/events/sources/feed-page";
import { inboundHandler } from "@/lib/events/sources/inbound-handlers";

/**
 * Storing and handling inbound events (SPEC §4.4). One event = one transaction: the
 * `inbound_events` row, the handler's change and the `inbound.received` event commit together,
 * so an event is never half handled. The (source_id, source_event_id) unique index makes a
 * re-served event fail its insert: it is counted as a duplicate and never handled twice. When the
 * handler throws, that transaction rolls back and a second one stores the event as `failed` with
 * the error, for POST /api/webhooks/events/{id}/reprocess.
 */

export type InboundStatus = "processed" | "failed" | "ignored";
export type StoreOutcome = InboundStatus | "duplicate";

type SourceRef = Pick<EventSource, "id" | "name" | "type_mapping">;

/** Raised by `handle` with the message to store; anything else is unexpected and is logged too. */
class HandlerFailed extends Error {}

function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "P2002";
}

/** Runs the mapped handler in `m`'s transaction; throws HandlerFailed with a readable message. */
async function handle(
  m: Mutation,
  source: SourceRef,
  event: Pick<InboundEvent, "id" | "source_event_id" | "type" | "payload">,
  mappedType: string,
): Promise<void> {
  const handler = inboundHandler(mappedType);
  if (!handler) throw new HandlerFailed(`No handler for local type "${mappedType}"`);
  try {
    await handler({ m, source, event });
  } catch (err) {
    throw new HandlerFailed(errorText(err));
  }
}

function receivedPayload(source: SourceRef, row: InboundEvent) {
  return {
    source: source.name,
    source_id: source.id,
    source_event_id: row.source_event_id,
    type: row.type,
    inbound_event_id: row.id,
    mapped_type: row.mapped_type,
    status: row.status as InboundStatus,
    error: row.error,
  };
}

/** Stores one feed event and handles it; "duplicate" when this source already has its id. */
export async function storeInboundEvent(
  ctx: ActorContext,
  source: SourceRef,
  event: FeedEvent,
  client: Db = defaultDb,
): Promise<StoreOutcome> {
  const mappedType = mapEventType(source.type_mapping, event.type);
  const base = {
    source_id: source.id,
    source_event_id: event.id,
    type: event.type,
    mapped_type: mappedType,
    payload: (event.payload ?? Prisma.JsonNull) as Prisma.InputJsonValue,
  };
  const exists = async () =>
    !!(await client.inboundEvent.findUnique({
      where: { source_id_source_event_id: { source_id: source.id, source_event_id: event.id } },
      select: { id: true },
    }));
  if (await exists()) return "duplicate";

  let failure: string;
  try {
    return await mutate(
      ctx,
      async (m) => {
        const status: InboundStatus = mappedType ? "processed" : "ignored";
        const created = await m.tx.inboundEvent.create({
          data: { ...base, status: mappedType ? "pending" : "ignored", received_at: m.now, processed_at: mappedType ? null : m.now },
        });
        let row = created;
        if (mappedType) {
          await handle(m, source, created, mappedType);
          row = await m.tx.inboundEvent.update({ where: { id: created.id }, data: { status, processed_at: m.now } });
        }
        await m.emit("inbound.received", receivedPayload(source, row));
        return status;
      },
      client,
    );
  } catch (err) {
    if (isUniqueViolation(err) && (await exists())) return "duplicate";
    if (!(err instanceof HandlerFailed)) throw err;
    failure = err.message;
  }
  try {
    await mutate(
      ctx,
      async (m) => {
        const row = await m.tx.inboundEvent.create({ data: { ...base, status: "failed", error: failure, received_at: m.now } });
        await m.emit("inbound.received", receivedPayload(source, row));
      },
      client,
    );
    return "failed";
  } catch (err) {
    if (isUniqueViolation(err) && (await exists())) return "duplicate";
    throw err;
  }
}

export interface InboundEventView {
  id: number;
  source_id: string;
  source_name: string | null;
  source_event_id: string;
  type: string;
  mapped_type: string | null;
  status: string;
  error: string | null;
  payload: unknown;
  received_at: string;
  processed_at: string | null;
}

export function serializeInboundEvent(e: InboundEvent & { source?: Pick<EventSource, "name"> | null }): InboundEventView {
  return {
    id: e.id,
    source_id: e.source_id,
    source_name: e.source?.name ?? null,
    source_event_id: e.source_event_id,
    type: e.type,
    mapped_type: e.mapped_type,
    status: e.status,
    error: e.error,
    payload: e.payload,
    received_at: e.received_at.toISOString(),
    processed_at: e.processed_at?.toISOString() ?? null,
  };
}

/**
 * Handles a stored event again, with its source's current mapping: a failed event after the
 * cause was fixed (the package now exists), an ignored one after a mapping was added, or one left
 * pending by a crash. A processed event is a 409: handling it again would apply it twice.
 */
export async function reprocessInboundEvent(ctx: ActorContext, id: number, client: Db = defaultDb): Promise<InboundEventView> {
  const current = await client.inboundEvent.findUnique({ where: { id }, include: { source: true } });
  if (!current) throw notFound("Inbound event not found", "inbound_event_not_found");
  const source = current.source;
  const mappedType = mapEventType(source.type_mapping, current.type);

  const finish = async (m: Mutation, before: InboundEvent, status: InboundStatus, error: string | null) => {
    const row = await m.tx.inboundEvent.update({
      where: { id },
      data: { status, error, mapped_type: mappedType, processed_at: status === "failed" ? null : m.now },
      include: { source: true },
    });
    await m.audit({
      entity: "inbound_event",
      entityId: String(id),
      label: `${source.name} ${before.source_event_id}`,
      before: { status: before.status, error: before.error, mapped_type: before.mapped_type },
      after: { status: row.status, error: row.error, mapped_type: row.mapped_type },
    });
    await m.emit("inbound.reprocessed", {
      source: source.name,
      source_id: source.id,
      source_event_id: row.source_event_id,
      inbound_event_id: row.id,
      type: row.type,
      mapped_type: row.mapped_type,
      previous_status: before.status,
      status,
      error,
    });
    return serializeInboundEvent(row);
  };

  /** Re-reads the row inside the transaction: a concurrent reprocess may have handled it. */
  const claim = async (m: Mutation) => {
    const before = await m.tx.inboundEvent.findUnique({ where: { id } });
    if (!before) throw notFound("Inbound event not found", "inbound_event_not_found");
    if (before.status === "processed")
      throw conflict("This inbound event was already processed", { status: before.status }, "already_processed");
    return before;
  };

  let failure: string;
  try {
    return await mutate(
      ctx,
      async (m) => {
        const before = await claim(m);
        if (!mappedType) return finish(m, before, "ignored", null);
        await handle(m, source, before, mappedType);
        return finish(m, before, "processed", null);
      },
      client,
    );
  } catch (err) {
    if (!(err instanceof HandlerFailed)) throw err;
    failure = err.message;
  }
  return mutate(
    ctx,
    async (m) => {
      const before = await claim(m);
      return finish(m, before, "failed", failure);
    },
    client,
  );
}
