import { db as defaultDb, type Db, type Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext, type ActorContext } from "@/lib/context";

/**
 * The notifier every installation starts with: a `notify` subscriber (Pushover, when the
 * `pushover` setting is enabled and has keys) for the events a person should hear about.
 *
 * Stock reaches it as `inventory.alert` only: the stock-alert check covers finished goods *and*
 * supplies with the per-subject cooldown, so `supply.low_stock` (raised by each crossing, kept
 * for webhooks and the feed) is left out — with both, one low box would push twice.
 *
 * Created once: at bootstrap and, for databases that never ran it, by the first stock check.
 * An admin may edit, disable, rename or delete it; a `subscriber.created` event with this name
 * means it existed, so it is never recreated behind the admin's back.
 */

export const DEFAULT_NOTIFY_SUBSCRIBER = "Pushover alerts";
export const DEFAULT_NOTIFY_EVENT_TYPES =
  "inventory.alert,batch.testing_overdue,batch.mass_balance_gap,backup.failed,subscriber.disabled,delivery.dead";

/**
 * The default event types of earlier versions. A default subscriber still carrying one of these
 * exactly (never edited by an admin) is brought up to `DEFAULT_NOTIFY_EVENT_TYPES`, so a type
 * added later (`batch.mass_balance_gap`) reaches existing installations too; an edited list is
 * the admin's and is left alone.
 */
const PREVIOUS_DEFAULT_EVENT_TYPES = ["inventory.alert,batch.testing_overdue,backup.failed,subscriber.disabled,delivery.dead"];

class AlreadyThere extends Error {}

export interface EnsureNotifyResult {
  created: boolean;
  subscriber_id: string | null;
}

export async function ensureDefaultNotifySubscriber(
  ctx: ActorContext = systemContext("system", "system"),
  client: Db = defaultDb,
): Promise<EnsureNotifyResult> {
  const existing = await client.subscriber.findUnique({
    where: { name: DEFAULT_NOTIFY_SUBSCRIBER },
    select: { id: true, event_types: true },
  });
  if (existing) {
    if (PREVIOUS_DEFAULT_EVENT_TYPES.includes(existing.event_types)) await upgradeEventTypes(ctx, client, existing.id);
    return { created: false, subscriber_id: existing.id };
  }
  try {
    return await mutate(
      ctx,
      async (m) => {
        // Decided under the write lock, so concurrent callers create it once.
        const again = await m.tx.subscriber.findUnique({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER }, select: { id: true } });
        if (again || (await everCreated(m.tx))) throw new AlreadyThere();
        const s = await m.tx.subscriber.create({
          data: {
            name: DEFAULT_NOTIFY_SUBSCRIBER,
            event_types: DEFAULT_NOTIFY_EVENT_TYPES,
            kind: "notify",
            config: {},
            ordered: false,
            max_attempts: 8,
            active: true,
          },
        });
        await m.audit({
          entity: "subscriber",
          entityId: s.id,
          label: s.name,
          before: null,
          after: { name: s.name, event_types: s.event_types, kind: s.kind, config: s.config, active: s.active },
        });
        await m.emit("subscriber.created", { subscriber_id: s.id, name: s.name, kind: s.kind, event_types: s.event_types });
        return { created: true, subscriber_id: s.id };
      },
      client,
    );
  } catch (err) {
    if (!(err instanceof AlreadyThere)) throw err;
    const row = await client.subscriber.findUnique({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER }, select: { id: true } });
    return { created: false, subscriber_id: row?.id ?? null };
  }
}

async function everCreated(tx: Pick<Tx, "event">): Promise<boolean> {
  const created = await tx.event.findMany({ where: { type: "subscriber.created" }, select: { payload: true } });
  return created.some((e) => (e.payload as { name?: string; kind?: string }).name === DEFAULT_NOTIFY_SUBSCRIBER);
}

async function upgradeEventTypes(ctx: ActorContext, client: Db, id: string): Promise<void> {
  try {
    await mutate(
      ctx,
      async (m) => {
        const before = await m.tx.subscriber.findUnique({ where: { id } });
        // Decided under the write lock: an admin's edit in between wins, concurrent callers upgrade once.
        if (!before || !PREVIOUS_DEFAULT_EVENT_TYPES.includes(before.event_types)) throw new AlreadyThere();
        await m.tx.subscriber.update({ where: { id }, data: { event_types: DEFAULT_NOTIFY_EVENT_TYPES } });
        await m.audit({
          entity: "subscriber",
          entityId: id,
          label: before.name,
          before: { event_types: before.event_types },
          after: { event_types: DEFAULT_NOTIFY_EVENT_TYPES },
        });
        await m.emit("subscriber.updated", { subscriber_id: id, name: before.name, changed_fields: ["event_types"] });
      },
      client,
    );
  } catch (err) {
    if (!(err instanceof AlreadyThere)) throw err;
  }
}
