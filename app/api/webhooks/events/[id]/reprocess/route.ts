import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { notFound } from "@/lib/http/errors";
import { reprocessInboundEvent } from "@/lib/events/sources/process";
import { inboundReprocessResponseSchema } from "@/lib/events/admin-response";

/**
 * Handles a failed (or ignored, or stuck pending) inbound event again with its source's current
 * type mapping → `{success, event}` with the new status and error; 409 when already processed.
 */
export const POST = route(
  { response: inboundReprocessResponseSchema, auth: "key|session", role: "admin", params: idParams },
  async ({ params, ctx }) => {
    const id = /^\d{1,15}$/.test(params.id) ? Number(params.id) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound("Inbound event not found", "inbound_event_not_found");
    return { success: true, event: await reprocessInboundEvent(ctx, id) };
  },
);
