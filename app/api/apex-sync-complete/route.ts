import { route } from "@/lib/http/route";
import { completeApexSync, syncCompleteSchema } from "@/lib/domain/apex-sync/apex-sync";

/** Ours: ApexAPI reports a finished sync `{packages_synced?}` → `{success, last_sync_completed}` + `sync.completed`. */
export const POST = route({ auth: "key|session", role: "operator", body: syncCompleteSchema }, async ({ body, ctx }) =>
  completeApexSync(ctx, body),
);
