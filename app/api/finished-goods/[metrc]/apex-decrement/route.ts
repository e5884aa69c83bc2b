import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { apexDecrement, apexDecrementSchema } from "@/lib/domain/finished-goods/apex-decrement";
import { apexDecrementResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * `{sku, units, reason, idempotency_key}` → `{success, metrc_number, sku, units_decremented,
 * previous_units, current_units, idempotency_key}`; a key seen before → `{success:true,
 * duplicate:true, message:"Already processed", idempotency_key}` with no change.
 */
export const POST = route(
  {
    response: apexDecrementResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: apexMetrcParams,
    body: apexDecrementSchema,
  },
  async ({ params, body, ctx, principal }) => apexDecrement(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
