import { json, route } from "@/lib/http/route";
import { createEventSource, listEventSources } from "@/lib/events/sources/service";
import { createEventSourceSchema } from "@/lib/events/sources/schemas";
import { eventSourceListResponseSchema, eventSourceResponseSchema } from "@/lib/events/admin-response";

/** Event sources polled for inbound events (admin). `auth_header` is only ever returned redacted. */
export const GET = route({ response: eventSourceListResponseSchema, auth: "session", role: "admin" }, async () => ({
  sources: await listEventSources(),
}));

export const POST = route(
  { response: eventSourceResponseSchema, status: 201, auth: "session", role: "admin", body: createEventSourceSchema },
  async ({ body, ctx }) => json({ source: await createEventSource(ctx, body) }, { status: 201 }),
);
