import { route } from "@/lib/http/route";
import { requestApexSync } from "@/lib/domain/apex-sync/apex-sync";

/** Stamps a sync request → `{success, last_sync_requested}` + `sync.requested`. */
export const POST = route({ contract: true, auth: "key|session", role: "operator" }, async ({ ctx }) => requestApexSync(ctx));
