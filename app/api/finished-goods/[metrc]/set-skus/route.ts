import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { setSkuBreakdown, setSkusSchema } from "@/lib/domain/finished-goods/set-skus";
import { setSkusResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `{skus:[{product_name, unit_size, pack_size, packs_ordered}]}` → `{success, metrc_number, skus}`. */
export const POST = route(
  { response: setSkusResponseSchema, contract: true, auth: "key|session", role: "operator", params: apexMetrcParams, body: setSkusSchema },
  async ({ params, body, ctx }) => setSkuBreakdown(ctx, params.metrc, body),
);
