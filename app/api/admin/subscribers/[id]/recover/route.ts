import { z } from "zod";
import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { badRequest } from "@/lib/http/errors";
import { recoverSubscriber } from "@/lib/events/delivery/queue";
import { subscriberRecoverResponseSchema } from "@/lib/events/admin-response";

const body = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }).optional() });

/** Requeues every failed or dead delivery of the subscriber created between `from` and `to` (default now). */
export const POST = route(
  { response: subscriberRecoverResponseSchema, auth: "session", role: "admin", params: idParams, body },
  async ({ params, body, ctx }) => {
    const from = new Date(body.from);
    const to = body.to ? new Date(body.to) : new Date();
    if (from > to) throw badRequest("`from` must be before `to`");
    return { success: true, ...(await recoverSubscriber(ctx, params.id, from, to)) };
  },
);
