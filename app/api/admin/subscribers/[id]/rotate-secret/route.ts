import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { rotateSecret } from "@/lib/events/subscribers/service";
import { subscriberRotateResponseSchema } from "@/lib/events/admin-response";

/** New `whsec_` secret, shown once; the previous one keeps signing for 24 h. */
export const POST = route(
  { response: subscriberRotateResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => rotateSecret(ctx, params.id),
);
