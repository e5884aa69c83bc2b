import { route } from "@/lib/http/route";
import { requestApexSync } from "@/lib/domain/apex-sync/apex-sync";
import { apexSyncTriggerResponseSchema } from "@/lib/domain/apex-sync/apex-sync-response";

/** Stamps a sync request → `{success, last_sync_requested}` + `sync.requested`. */
export const POST = route(
  { response: apexSyncTriggerResponseSchema, contract: true, auth: "key|session", role: "operator" },
  async ({ ctx }) => requestApexSync(ctx),
);
