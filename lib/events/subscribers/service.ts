import type { z } from "zod";
import { db, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import type { ActorContext } from "@/lib/context";
import { badRequest, notFound } from "@/lib/http/errors";
import { parseTypeGlobs } from "@/lib/events/glob";
import { generateSecret, SECRET_GRACE_MS } from "@/lib/events/delivery/signing";
import { configSchemas, type SubscriberKind } from "@/lib/events/subscribers/config";
import { createSubscriberSchema, updateSubscriberSchema } from "@/lib/events/subscribers/schemas";

export { createSubscriberSchema, updateSubscriberSchema };
import { Prisma, type Subscriber } from "@/lib/generated/prisma/client";

/** Subscriber CRUD, secret rotation and test pings; every change is a `mutate` with audit + event. */

function parseConfig(kind: SubscriberKind, config: unknown): Record<string, unknown> {
  const result = configSchemas[kind].safeParse(config);
  if (!result.success) {
    throw badRequest(
      `Invalid config for a ${kind} subscriber`,
      { fields: { config: result.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`) } },
      "validation_error",
    );
  }
  return result.data as Record<string, unknown>;
}

export function serializeSubscriber(s: Subscriber) {
  return {
    id: s.id,
    name: s.name,
    event_types: s.event_types,
    filter: s.filter ?? null,
    kind: s.kind,
    config: s.config,
    ordered: s.ordered,
    max_attempts: s.max_attempts,
    active: s.active,
    failing_since: s.failing_since?.toISOString() ?? null,
    disabled_reason: s.disabled_reason,
    has_secret: !!s.secret,
    secret_hint: s.secret ? `${s.secret.slice(0, 10)}…` : null,
    previous_secret_expires_at: s.previous_secret && s.previous_secret_expires_at ? s.previous_secret_expires_at.toISOString() : null,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
  };
}

/** The fields an audit row may show (never the secrets). */
function auditable(s: Subscriber | null): Record<string, unknown> | null {
  if (!s) return null;
  return {
    name: s.name,
    event_types: s.event_types,
    filter: s.filter ?? null,
    kind: s.kind,
    config: s.config,
    ordered: s.ordered,
    max_attempts: s.max_attempts,
    active: s.active,
    disabled_reason: s.disabled_reason,
  };
}

export async function listSubscribers(client: Db = db) {
  const rows = await client.subscriber.findMany({ orderBy: { name: "asc" } });
  const counts = await client.delivery.groupBy({ by: ["subscriber_id", "status"], _count: { _all: true } });
  return rows.map((s) => ({
    ...serializeSubscriber(s),
    deliveries: Object.fromEntries(counts.filter((c) => c.subscriber_id === s.id).map((c) => [c.status, c._count._all])),
  }));
}

export async function getSubscriber(id: string, client: Db = db) {
  const s = await client.subscriber.findUnique({ where: { id } });
  if (!s) throw notFound("Subscriber not found");
  return serializeSubscriber(s);
}

/** Creates a subscriber; a webhook gets a fresh `whsec_` secret, returned this once. */
export async function createSubscriber(ctx: ActorContext, input: z.output<typeof createSubscriberSchema>, client: Db = db) {
  const config = parseConfig(input.kind, input.config);
  const secret = input.kind === "webhook" ? generateSecret() : null;
  return mutate(
    ctx,
    async (m) => {
      const s = await m.tx.subscriber.create({
        data: {
          name: input.name,
          event_types: parseTypeGlobs(input.event_types).join(","),
          filter: input.filter ? (input.filter as Prisma.InputJsonValue) : Prisma.DbNull,
          kind: input.kind,
          config: config as object,
          secret,
          ordered: input.ordered,
          max_attempts: input.max_attempts,
          active: input.active,
        },
      });
      await m.audit({ entity: "subscriber", entityId: s.id, label: s.name, before: null, after: auditable(s) });
      await m.emit("subscriber.created", { subscriber_id: s.id, name: s.name, kind: s.kind, event_types: s.event_types });
      return { subscriber: serializeSubscriber(s), secret };
    },
    client,
  );
}

export async function updateSubscriber(ctx: ActorContext, id: string, input: z.output<typeof updateSubscriberSchema>, client: Db = db) {
  return mutate(
    ctx,
    async (m) => {
      const before = await m.tx.subscriber.findUnique({ where: { id } });
      if (!before) throw notFound("Subscriber not found");
      const config = input.config !== undefined ? parseConfig(before.kind as SubscriberKind, input.config) : undefined;
      const reactivating = input.active === true && !before.active;
      const s = await m.tx.subscriber.update({
        where: { id },
        data: {
          name: input.name,
          event_types: input.event_types !== undefined ? parseTypeGlobs(input.event_types).join(",") : undefined,
          filter: input.filter === undefined ? undefined : input.filter === null ? Prisma.DbNull : (input.filter as Prisma.InputJsonValue),
          config: config as object | undefined,
          ordered: input.ordered,
          max_attempts: input.max_attempts,
          active: input.active,
          ...(reactivating ? { disabled_reason: null, failing_since: null } : {}),
          ...(input.active === false && before.active ? { disabled_reason: "Disabled by an admin" } : {}),
        },
      });
      const a = auditable(before)!;
      const b = auditable(s)!;
      const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
      await m.audit({ entity: "subscriber", entityId: s.id, label: s.name, before: a, after: b });
      await m.emit("subscriber.updated", { subscriber_id: s.id, name: s.name, changed_fields: changed });
      return serializeSubscriber(s);
    },
    client,
  );
}

export async function deleteSubscriber(ctx: ActorContext, id: string, client: Db = db) {
  await mutate(
    ctx,
    async (m) => {
      const s = await m.tx.subscriber.findUnique({ where: { id } });
      if (!s) throw notFound("Subscriber not found");
      await m.tx.subscriber.delete({ where: { id } });
      await m.audit({ entity: "subscriber", entityId: s.id, label: s.name, before: auditable(s), after: null });
      await m.emit("subscriber.deleted", { subscriber_id: s.id, name: s.name });
    },
    client,
  );
  return { success: true };
}

/** New secret now; the old one keeps signing beside it for 24 h. Returns the new secret once. */
export async function rotateSecret(ctx: ActorContext, id: string, client: Db = db) {
  return mutate(
    ctx,
    async (m) => {
      const s = await m.tx.subscriber.findUnique({ where: { id } });
      if (!s) throw notFound("Subscriber not found");
      if (s.kind !== "webhook") throw badRequest("Only webhook subscribers have a signing secret");
      const secret = generateSecret();
      const expires = s.secret ? new Date(m.now.getTime() + SECRET_GRACE_MS) : null;
      const updated = await m.tx.subscriber.update({
        where: { id },
        data: { secret, previous_secret: s.secret, previous_secret_expires_at: expires },
      });
      await m.audit({
        entity: "subscriber",
        entityId: s.id,
        label: s.name,
        before: { secret_rotated_at: null },
        after: { secret_rotated_at: m.now },
      });
      await m.emit("subscriber.secret_rotated", {
        subscriber_id: s.id,
        name: s.name,
        previous_valid_until: expires?.toISOString() ?? null,
      });
      return { subscriber: serializeSubscriber(updated), secret };
    },
    client,
  );
}

/** Sends a `test.ping` event to this subscriber only (its delivery is created with the event). */
export async function sendTestPing(ctx: ActorContext, id: string, message = "Test delivery from PreRoll Tracker", client: Db = db) {
  return mutate(
    ctx,
    async (m) => {
      const s = await m.tx.subscriber.findUnique({ where: { id } });
      if (!s) throw notFound("Subscriber not found");
      const event = await m.emit("test.ping", { message, subscriber_id: s.id });
      const delivery = await m.tx.delivery.create({ data: { event_id: event.id, subscriber_id: s.id, next_attempt_at: m.now } });
      return { event_id: event.id, delivery_id: delivery.id };
    },
    client,
  );
}
