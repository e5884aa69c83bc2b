import type { ActorContext } from "@/lib/context";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";

/**
 * The first-start decisions of scripts/bootstrap.ts. Each is made inside its transaction (one
 * writer at a time: SQLite's BEGIN IMMEDIATE, PostgreSQL's write lock in mutate), so several
 * processes starting on one empty database at once — web and worker, or N instances — create one
 * admin and seed the demo once.
 */

/** Creates the first admin unless a user exists; true when this call created it. */
export function createFirstAdmin(
  ctx: ActorContext,
  input: { username: string; passwordHash: string },
  client: Db = defaultDb,
): Promise<boolean> {
  return mutateIfChanged<boolean>(
    ctx,
    async (m, unchanged) => {
      if ((await m.tx.user.count()) > 0) unchanged(false);
      const user = await m.tx.user.create({ data: { username: input.username, role: "admin", password_hash: input.passwordHash } });
      await m.audit({
        entity: "user",
        entityId: user.id,
        label: input.username,
        before: null,
        after: { username: input.username, role: "admin" },
      });
      await m.emit("user.created", { user_id: user.id, username: input.username, role: "admin" });
      return true;
    },
    client,
  );
}

/**
 * Claims the demo seed: true once, for an empty database that has never been seeded nor switched
 * over from PreRollTracker (`legacy_import`). The `demo_seeded` mark is written first.
 */
export function claimDemoSeed(ctx: ActorContext, client: Db = defaultDb): Promise<boolean> {
  return mutateIfChanged<boolean>(
    ctx,
    async (m, unchanged) => {
      const marks = await m.tx.setting.count({ where: { key: { in: ["demo_seeded", "legacy_import"] } } });
      if (marks > 0 || (await m.tx.batch.count()) > 0) unchanged(false);
      await m.tx.setting.create({ data: { key: "demo_seeded", value: { at: m.now.toISOString() }, updated_by: ctx.actor } });
      await m.emit("setting.updated", { key: "demo_seeded" });
      return true;
    },
    client,
  );
}

/** Writes a default setting unless it exists; true when this call wrote it. */
export function createDefaultSetting(ctx: ActorContext, key: string, value: unknown, client: Db = defaultDb): Promise<boolean> {
  return mutateIfChanged<boolean>(
    ctx,
    async (m, unchanged) => {
      if (await m.tx.setting.findUnique({ where: { key }, select: { key: true } })) unchanged(false);
      await m.tx.setting.create({ data: { key, value: value as object, updated_by: ctx.actor } });
      await m.audit({ entity: "setting", entityId: key, before: null, after: { value } });
      await m.emit("setting.updated", { key });
      return true;
    },
    client,
  );
}
