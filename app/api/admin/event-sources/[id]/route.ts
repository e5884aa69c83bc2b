import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { deleteEventSource, getEventSource, updateEventSource } from "@/lib/events/sources/service";
import { updateEventSourceSchema } from "@/lib/events/sources/schemas";
import { adminSuccessResponseSchema, eventSourceDetailResponseSchema, eventSourceResponseSchema } from "@/lib/events/admin-response";

export const GET = route(
  { response: eventSourceDetailResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params }) => ({
    source: await getEventSource(params.id),
  }),
);

/** Partial update; `auth_header: null` removes it, its redacted form keeps it, `cursor` rewinds. */
export const PATCH = route(
  { response: eventSourceResponseSchema, auth: "session", role: "admin", params: idParams, body: updateEventSourceSchema },
  async ({ params, body, ctx }) => ({
    source: await updateEventSource(ctx, params.id, body),
  }),
);

/** Deletes the source and its stored inbound events. */
export const DELETE = route(
  { response: adminSuccessResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => deleteEventSource(ctx, params.id),
);
