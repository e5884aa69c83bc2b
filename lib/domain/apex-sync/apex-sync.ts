import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db, type Tx } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { mutate, type Mutation } from "@/lib/db/mutate";

/**
 * The Apex sync handshake (EXISTING-SYSTEM §1.6, "sync trigger" flow): a person clicks Sync →
 * `POST /api/apex-sync-trigger` stamps `last_sync_requested` → ApexAPI, polling
 * `GET /api/apex-sync-status`, sees a request newer than its last sync, pulls the data, and (ours)
 * reports back with `POST /api/apex-sync-complete` → `last_sync_completed`. `sync_pending` is true
 * while a request is newer than the last completion. State is the `apex_sync` row of the settings
 * table (outside the validated settings schema; written only here, through `mutate`).
 */

export const APEX_SYNC_KEY = "apex_sync";

export const apexSyncStateSchema = z.object({
  last_sync_requested: z.string().nullable().default(null),
  last_sync_completed: z.string().nullable().default(null),
  requested_by: z.string().nullable().default(null),
  completed_by: z.string().nullable().default(null),
  packages_synced: z.number().int().nullable().default(null),
});
export type ApexSyncState = z.output<typeof apexSyncStateSchema>;

export const syncCompleteSchema = z.object({ packages_synced: z.number().int().min(0).max(10_000_000).optional() });
export type SyncCompleteInput = z.output<typeof syncCompleteSchema>;

async function readState(tx: Pick<Tx, "setting">): Promise<ApexSyncState> {
  const row = await tx.setting.findUnique({ where: { key: APEX_SYNC_KEY } });
  const parsed = apexSyncStateSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : apexSyncStateSchema.parse({});
}

function view(state: ApexSyncState) {
  const pending =
    state.last_sync_requested !== null &&
    (state.last_sync_completed === null || Date.parse(state.last_sync_requested) > Date.parse(state.last_sync_completed));
  return { ...state, sync_pending: pending };
}

/** `GET /api/apex-sync-status` (polled: memoised per database version). */
export function getApexSyncStatus() {
  return memoByDataVersion("apex-sync:status", async () => view(await readState(db)));
}

async function writeState(m: Mutation, before: ApexSyncState, next: ApexSyncState) {
  await m.tx.setting.upsert({
    where: { key: APEX_SYNC_KEY },
    create: { key: APEX_SYNC_KEY, value: next, updated_by: m.ctx.actor },
    update: { value: next, updated_by: m.ctx.actor },
  });
  await m.audit({ entity: "setting", entityId: APEX_SYNC_KEY, label: APEX_SYNC_KEY, before, after: next });
}

/** `POST /api/apex-sync-trigger` → `{success, last_sync_requested}` + `sync.requested`. */
export async function requestApexSync(ctx: ActorContext) {
  return mutate(ctx, async (m) => {
    const before = await readState(m.tx);
    const at = m.now.toISOString();
    const next = { ...before, last_sync_requested: at, requested_by: ctx.actor };
    await writeState(m, before, next);
    await m.emit("sync.requested", { requested_at: at });
    return { success: true as const, last_sync_requested: at };
  });
}

/** `POST /api/apex-sync-complete` `{packages_synced?}` → `{success, last_sync_completed}` + `sync.completed`. */
export async function completeApexSync(ctx: ActorContext, input: SyncCompleteInput) {
  return mutate(ctx, async (m) => {
    const before = await readState(m.tx);
    const at = m.now.toISOString();
    const next = { ...before, last_sync_completed: at, completed_by: ctx.actor, packages_synced: input.packages_synced ?? null };
    await writeState(m, before, next);
    await m.emit("sync.completed", {
      completed_at: at,
      ...(input.packages_synced !== undefined ? { packages_synced: input.packages_synced } : {}),
    });
    return {
      success: true as const,
      last_sync_completed: at,
      ...(input.packages_synced !== undefined ? { packages_synced: input.packages_synced } : {}),
    };
  });
}
