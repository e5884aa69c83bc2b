import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { completeOrder, completeOrderSchema } from "@/lib/domain/finished-goods/complete-order";

/** Ordered down, fulfilled up, current down (never below 0 → 409). */
export const POST = route(
  { contract: true, auth: "key|session", role: "operator", params: metrcParams, body: completeOrderSchema },
  async ({ params, body, ctx, principal }) => completeOrder(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
