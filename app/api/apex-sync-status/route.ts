import { route } from "@/lib/http/route";
import { getApexSyncStatus } from "@/lib/domain/apex-sync/apex-sync";

/** `{last_sync_requested, last_sync_completed, sync_pending, …}` (polled by ApexAPI). */
export const GET = route({ contract: true, auth: "key|session", role: "viewer" }, async () => getApexSyncStatus());
