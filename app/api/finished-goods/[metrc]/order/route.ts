import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { placeOrder, placeOrderSchema } from "@/lib/domain/finished-goods/place-order";
import { orderResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Reserves `grams` (current unchanged): `{success, metrc_number, grams_ordered, current_grams}`. */
export const POST = route(
  { response: orderResponseSchema, contract: true, auth: "key|session", role: "operator", params: metrcParams, body: placeOrderSchema },
  async ({ params, body, ctx }) => placeOrder(ctx, params.metrc, body),
);
