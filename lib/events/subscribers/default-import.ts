import { db as defaultDb, type Db } from "@/lib/db/client";
import type { ActorContext } from "@/lib/context";
import { createSubscriber } from "@/lib/events/subscribers/service";

/**
 * A fresh install imports files dropped in the inbox: bootstrap makes sure an `import` subscriber
 * exists ("Inbox import", `file.received`, target auto). Idempotent, and it only acts while there
 * is no import subscriber at all — an admin who wants no imports deactivates it (kept, so not
 * re-created) and one who set up their own import subscribers keeps just those.
 */

export const DEFAULT_IMPORT_SUBSCRIBER = "Inbox import";

export async function ensureDefaultImportSubscriber(ctx: ActorContext, client: Db = defaultDb): Promise<{ created: boolean }> {
  const existing = await client.subscriber.findFirst({
    where: { OR: [{ kind: "import" }, { name: DEFAULT_IMPORT_SUBSCRIBER }] },
    select: { id: true },
  });
  if (existing) return { created: false };
  try {
    await createSubscriber(
      ctx,
      {
        name: DEFAULT_IMPORT_SUBSCRIBER,
        event_types: "file.received",
        kind: "import",
        config: { target: "auto" },
        // A file is retried while it is locked or the database is busy; a bad file is not retried.
        ordered: false,
        max_attempts: 8,
        active: true,
      },
      client,
    );
  } catch (err) {
    // Two starts at once: the other one created it (the name is unique).
    if ((err as { code?: string }).code === "P2002") return { created: false };
    throw err;
  }
  return { created: true };
}
