import { route } from "@/lib/http/route";
import { completeApexSync, syncCompleteSchema } from "@/lib/domain/apex-sync/apex-sync";
import { apexSyncCompleteResponseSchema } from "@/lib/domain/apex-sync/apex-sync-response";

/** Ours: ApexAPI reports a finished sync `{packages_synced?}` → `{success, last_sync_completed}` + `sync.completed`. */
export const POST = route(
  { response: apexSyncCompleteResponseSchema, auth: "key|session", role: "operator", body: syncCompleteSchema },
  async ({ body, ctx }) => completeApexSync(ctx, body),
);
