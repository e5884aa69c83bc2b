import { route } from "@/lib/http/route";
import { pushoverTestQuery, sendPushoverTest } from "@/lib/domain/alerts/pushover-settings";
import { pushoverTestResponseSchema } from "@/lib/domain/alerts/pushover-response";

/** Admin: `?level=info|warning|critical` → `{success, message}`; 400 without a user key (contract). */
export const POST = route(
  { response: pushoverTestResponseSchema, contract: true, auth: "session", role: "admin", query: pushoverTestQuery },
  ({ query, ctx }) => sendPushoverTest(ctx, query.level),
);
