import { route } from "@/lib/http/route";
import { eventLogQuery, searchEventLog } from "@/lib/events/event-log";
import { eventLogResponseSchema } from "@/lib/events/admin-response";

/**
 * Event log for the admin Event system page: `type` (glob), `since`/`until` (ISO), `trace_id`,
 * `q` (payload text), `actor`, `before_id`, `limit` (≤ 500) → `{events: [envelope…],
 * next_before_id}`, newest first.
 */
export const GET = route({ response: eventLogResponseSchema, auth: "session", role: "admin", query: eventLogQuery }, async ({ query }) =>
  searchEventLog(query),
);
