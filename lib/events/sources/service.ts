import { db, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import type { ActorContext } from "@/lib/context";
import { conflict, notFound } from "@/lib/http/errors";
import type { EventSource } from "@/lib/generated/prisma/client";
import { nextPollAt } from "@/lib/events/sources/poll";
import {
  defaultPollingIntervalSeconds,
  isRedacted,
  redactAuthHeader,
  type CreateEventSourceInput,
  type UpdateEventSourceInput,
} from "@/lib/events/sources/schemas";

/**
 * Event source CRUD (admin). Every change is a `mutate` with audit rows and an
 * `event_source.*` event. The auth header is stored as given and only ever shown redacted.
 */

export function serializeEventSource(s: EventSource) {
  return {
    id: s.id,
    name: s.name,
    url: s.url,
    cursor_param: s.cursor_param,
    limit: s.limit,
    type_mapping: (s.type_mapping ?? {}) as Record<string, string>,
    auth_header: redactAuthHeader(s.auth_header),
    has_auth_header: !!s.auth_header,
    interval_seconds: s.interval_seconds,
    active: s.active,
    cursor: s.cursor,
    last_polled_at: s.last_polled_at?.toISOString() ?? null,
    last_status: s.last_status,
    last_error: s.last_error,
    next_poll_at: s.active ? (nextPollAt(s)?.toISOString() ?? null) : null,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
  };
}

/** What audit rows may show: everything configurable, the auth header redacted. */
function auditable(s: EventSource): Record<string, unknown> {
  return {
    name: s.name,
    url: s.url,
    cursor_param: s.cursor_param,
    limit: s.limit,
    type_mapping: s.type_mapping ?? {},
    auth_header: redactAuthHeader(s.auth_header),
    interval_seconds: s.interval_seconds,
    active: s.active,
    cursor: s.cursor,
  };
}

/** Inbound event counts by status, per source id. */
async function statusCounts(client: Db, sourceIds: string[]) {
  const rows = await client.inboundEvent.groupBy({
    by: ["source_id", "status"],
    where: { source_id: { in: sourceIds } },
    _count: { _all: true },
  });
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) (out.get(r.source_id) ?? out.set(r.source_id, {}).get(r.source_id)!)[r.status] = r._count._all;
  return out;
}

export async function listEventSources(client: Db = db) {
  const rows = await client.eventSource.findMany({ orderBy: { name: "asc" } });
  const counts = await statusCounts(
    client,
    rows.map((r) => r.id),
  );
  return rows.map((s) => ({ ...serializeEventSource(s), events: counts.get(s.id) ?? {} }));
}

export async function getEventSource(id: string, client: Db = db) {
  const s = await client.eventSource.findUnique({ where: { id } });
  if (!s) throw notFound("Event source not found", "event_source_not_found");
  const counts = await statusCounts(client, [s.id]);
  return { ...serializeEventSource(s), events: counts.get(s.id) ?? {} };
}

const duplicateName = (name: string) => conflict("An event source with this name already exists", { name }, "duplicate_event_source");

export async function createEventSource(ctx: ActorContext, input: CreateEventSourceInput, client: Db = db) {
  return mutate(
    ctx,
    async (m) => {
      if (await m.tx.eventSource.findUnique({ where: { name: input.name }, select: { id: true } })) throw duplicateName(input.name);
      const s = await m.tx.eventSource.create({
        data: {
          name: input.name,
          url: input.url,
          cursor_param: input.cursor_param,
          limit: input.limit,
          type_mapping: input.type_mapping,
          auth_header: input.auth_header ?? null,
          interval_seconds: input.interval_seconds ?? defaultPollingIntervalSeconds(),
          active: input.active,
          cursor: input.cursor ?? null,
        },
      });
      await m.audit({ entity: "event_source", entityId: s.id, label: s.name, before: null, after: auditable(s) });
      await m.emit("event_source.created", { source_id: s.id, name: s.name, url: s.url });
      return serializeEventSource(s);
    },
    client,
  );
}

export async function updateEventSource(ctx: ActorContext, id: string, input: UpdateEventSourceInput, client: Db = db) {
  return mutate(
    ctx,
    async (m) => {
      const before = await m.tx.eventSource.findUnique({ where: { id } });
      if (!before) throw notFound("Event source not found", "event_source_not_found");
      if (
        input.name !== undefined &&
        input.name !== before.name &&
        (await m.tx.eventSource.findUnique({ where: { name: input.name }, select: { id: true } }))
      ) {
        throw duplicateName(input.name);
      }
      // A redacted value is the GET response sent back unchanged: keep the stored secret.
      const authHeader =
        input.auth_header === undefined || (input.auth_header !== null && isRedacted(input.auth_header)) ? undefined : input.auth_header;
      const s = await m.tx.eventSource.update({
        where: { id },
        data: {
          name: input.name,
          url: input.url,
          cursor_param: input.cursor_param,
          limit: input.limit,
          type_mapping: input.type_mapping,
          auth_header: authHeader,
          interval_seconds: input.interval_seconds,
          active: input.active,
          cursor: input.cursor,
        },
      });
      const a = auditable(before);
      const b = auditable(s);
      const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
      // A new secret with the same last characters still counts as a change.
      if (authHeader !== undefined && authHeader !== before.auth_header && !changed.includes("auth_header")) changed.push("auth_header");
      await m.audit({ entity: "event_source", entityId: s.id, label: s.name, before: a, after: b });
      await m.emit("event_source.updated", { source_id: s.id, name: s.name, changed_fields: changed });
      return serializeEventSource(s);
    },
    client,
  );
}

/** Deletes the source and, with it, its stored inbound events. */
export async function deleteEventSource(ctx: ActorContext, id: string, client: Db = db) {
  await mutate(
    ctx,
    async (m) => {
      const s = await m.tx.eventSource.findUnique({ where: { id } });
      if (!s) throw notFound("Event source not found", "event_source_not_found");
      await m.tx.eventSource.delete({ where: { id } });
      await m.audit({ entity: "event_source", entityId: s.id, label: s.name, before: auditable(s), after: null });
      await m.emit("event_source.deleted", { source_id: s.id, name: s.name });
    },
    client,
  );
  return { success: true };
}
