import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { completeOrder, completeOrderSchema } from "@/lib/domain/finished-goods/complete-order";
import { completeOrderResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Ordered down, fulfilled up, current down (never below 0 → 409). */
export const POST = route(
  {
    response: completeOrderResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: metrcParams,
    body: completeOrderSchema,
  },
  async ({ params, body, ctx, principal }) => completeOrder(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
