import { route } from "@/lib/http/route";
import { pushoverTestQuery, sendPushoverTest } from "@/lib/domain/alerts/pushover-settings";

/** Admin: `?level=info|warning|critical` → `{success, message}`; 400 without a user key (contract). */
export const POST = route({ contract: true, auth: "session", role: "admin", query: pushoverTestQuery }, ({ query, ctx }) =>
  sendPushoverTest(ctx, query.level),
);
