import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { bomUsesSchema, setSupplyBom } from "@/lib/domain/supplies/bom";
import { getSupply } from "@/lib/domain/supplies/supplies";
import { supplySaveResponseSchema } from "@/lib/domain/supplies/inventory-response";

/**
 * Admin: the supply's bill of materials, `{uses:[{applies_to:"unit_0_5"…, quantity}]}` replacing
 * all → `{success, supply}` (with its `bom`). Counts then deduct it with the papers.
 */
export const PUT = route(
  { response: supplySaveResponseSchema, auth: "session", role: "admin", params: idParams, body: bomUsesSchema },
  async ({ params, body, ctx }) => {
    await setSupplyBom(ctx, params.id, body);
    return { success: true, supply: await getSupply(params.id) };
  },
);
