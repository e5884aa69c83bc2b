import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { syncOrderTracking, syncOrderTrackingSchema } from "@/lib/domain/finished-goods/sync-order-tracking";
import { syncOrderTrackingResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `ordered_grams` and/or `packed_grams`, atomically: `{success, metrc_number, grams_ordered, grams_packed}`. */
export const POST = route(
  {
    response: syncOrderTrackingResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: metrcParams,
    body: syncOrderTrackingSchema,
  },
  async ({ params, body, ctx, principal }) => syncOrderTracking(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
