import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { getSupply, updateSupply, updateSupplySchema } from "@/lib/domain/supplies/supplies";
import { supplyResponseSchema, supplySaveResponseSchema } from "@/lib/domain/supplies/inventory-response";

export const GET = route({ response: supplyResponseSchema, auth: "key|session", role: "viewer", params: idParams }, async ({ params }) => ({
  supply: await getSupply(params.id),
}));

/**
 * A physical count (`boxes`, `individual_units`), `units_per_box`, `low_threshold_boxes`, names,
 * and/or `alert_dismissed` → `{success, supply}`. Same events and dismissal rules as the papers.
 */
export const PATCH = route(
  { response: supplySaveResponseSchema, auth: "key|session", role: "operator", params: idParams, body: updateSupplySchema },
  async ({ params, body, ctx }) => ({
    success: true,
    supply: await updateSupply(ctx, params.id, body),
  }),
);
