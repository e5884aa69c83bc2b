import { route } from "@/lib/http/route";
import { getApexSyncStatus } from "@/lib/domain/apex-sync/apex-sync";
import { apexSyncStatusResponseSchema } from "@/lib/domain/apex-sync/apex-sync-response";

/** `{last_sync_requested, last_sync_completed, sync_pending, …}` (polled by ApexAPI). */
export const GET = route({ response: apexSyncStatusResponseSchema, contract: true, auth: "key|session", role: "viewer" }, async () =>
  getApexSyncStatus(),
);
