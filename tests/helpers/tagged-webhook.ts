import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { createSubscriber } from "@/lib/events/subscribers/service";

/**
 * A test's own webhook subscriber and events: the subscriber takes `sync.*` events whose
 * `payload.requested_at` is `tag`, so tests sharing a database see only their own deliveries.
 */
export async function taggedWebhook(url: string, tag: string, extra: Partial<Parameters<typeof createSubscriber>[1]> = {}) {
  const { subscriber, secret } = await createSubscriber(systemContext("admin", "web"), {
    name: `hook-${tag}`,
    event_types: "sync.*",
    filter: { "payload.requested_at": tag },
    kind: "webhook",
    config: { url, timeout_ms: 5000 },
    ordered: false,
    max_attempts: 8,
    active: true,
    ...extra,
  });
  return { id: subscriber.id, secret: secret! };
}

/** A `sync.requested` event for `taggedWebhook(…, tag)`; its id. */
export async function emitTagged(tag: string): Promise<number> {
  return (await mutate(systemContext("tester", "cli"), (m) => m.emit("sync.requested", { requested_at: tag }))).id;
}
