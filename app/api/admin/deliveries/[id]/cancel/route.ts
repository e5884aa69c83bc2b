import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { cancelDelivery } from "@/lib/events/delivery/queue";
import { deliveryResponseSchema } from "@/lib/events/admin-response";

/** Cancels a pending or failed delivery. */
export const POST = route(
  { response: deliveryResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => ({
    delivery: await cancelDelivery(ctx, params.id),
  }),
);
