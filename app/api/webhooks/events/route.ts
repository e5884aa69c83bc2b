import { route } from "@/lib/http/route";
import { inboundEventsQuery, listInboundEvents } from "@/lib/events/sources/list-inbound";
import { inboundEventsResponseSchema } from "@/lib/events/admin-response";

/**
 * Inbound events polled from event sources: `source` (id or name), `status`, `type` (remote or
 * mapped), `limit` (≤ 500). Newest first, paged with `before=next_before`; or, with `after=ID`,
 * oldest first from that id, paged with `after=next_after`.
 * → `{events: [{id, source_id, source_name, source_event_id, type, mapped_type, status, error,
 * payload, received_at, processed_at}], has_more, next_before, next_after}`.
 */
export const GET = route(
  { response: inboundEventsResponseSchema, auth: "key|session", role: "viewer", query: inboundEventsQuery },
  async ({ query }) => listInboundEvents(query),
);
