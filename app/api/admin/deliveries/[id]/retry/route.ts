import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { retryDelivery } from "@/lib/events/delivery/queue";

/** Queues an immediate manual attempt (a dead delivery gets one more try). */
export const POST = route({ auth: "session", role: "admin", params: idParams }, async ({ params, ctx }) => ({
  delivery: await retryDelivery(ctx, params.id),
}));
