import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { cancelDelivery } from "@/lib/events/delivery/queue";

/** Cancels a pending or failed delivery. */
export const POST = route({ auth: "session", role: "admin", params: idParams }, async ({ params, ctx }) => ({
  delivery: await cancelDelivery(ctx, params.id),
}));
