import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { retryDelivery } from "@/lib/events/delivery/queue";
import { deliveryResponseSchema } from "@/lib/events/admin-response";

/** Queues an immediate manual attempt (a dead delivery gets one more try). */
export const POST = route(
  { response: deliveryResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => ({
    delivery: await retryDelivery(ctx, params.id),
  }),
);
