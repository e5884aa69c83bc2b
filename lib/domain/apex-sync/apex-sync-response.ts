import { z } from "zod";

/** Response schemas of the Apex sync handshake (lib/domain/apex-sync/apex-sync.ts). Zod only. */

const isoDateTime = z.iso.datetime();

/** GET /api/apex-sync-status (polled by ApexAPI). */
export const apexSyncStatusResponseSchema = z.object({
  last_sync_requested: isoDateTime.nullable(),
  last_sync_completed: isoDateTime.nullable(),
  requested_by: z.string().nullable(),
  completed_by: z.string().nullable(),
  packages_synced: z.number().int().nullable(),
  /** A request newer than the last completion. */
  sync_pending: z.boolean(),
});
export type ApexSyncStatusResponse = z.infer<typeof apexSyncStatusResponseSchema>;

/** POST /api/apex-sync-trigger. */
export const apexSyncTriggerResponseSchema = z.object({ success: z.literal(true), last_sync_requested: isoDateTime });

/** POST /api/apex-sync-complete: `packages_synced` echoed when sent. */
export const apexSyncCompleteResponseSchema = z.object({
  success: z.literal(true),
  last_sync_completed: isoDateTime,
  packages_synced: z.number().int().optional(),
});
