import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { sendTestPing } from "@/lib/events/subscribers/service";
import { subscriberTestResponseSchema } from "@/lib/events/admin-response";

const body = z.strictObject({ message: z.string().trim().min(1).max(500).optional() });

/** Queues a `test.ping` event for this subscriber only; the worker delivers it within a second. */
export const POST = route(
  { response: subscriberTestResponseSchema, status: 202, auth: "session", role: "admin", params: idParams, body },
  async ({ params, body, ctx }) => json({ success: true, ...(await sendTestPing(ctx, params.id, body.message)) }, { status: 202 }),
);
