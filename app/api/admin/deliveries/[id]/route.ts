import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { getDelivery } from "@/lib/events/delivery/queue";
import { deliveryResponseSchema } from "@/lib/events/admin-response";

/** One delivery with its event and attempt log. */
export const GET = route({ response: deliveryResponseSchema, auth: "session", role: "admin", params: idParams }, async ({ params }) => ({
  delivery: await getDelivery(params.id),
}));
