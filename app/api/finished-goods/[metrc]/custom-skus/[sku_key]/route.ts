import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteCustomSku } from "@/lib/domain/finished-goods/custom-skus";
import { customSkuDeleteResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

const params = z.strictObject({
  metrc: z.string().trim().min(1).max(100),
  // Keys may be display names with spaces ("0.8g Premium"): accept them still percent-encoded too.
  sku_key: z
    .string()
    .min(1)
    .max(300)
    .transform((k) => {
      try {
        return decodeURIComponent(k);
      } catch {
        return k;
      }
    }),
});

/** → `{success, metrc_number, deleted_sku}`; 404 "Custom SKU not found". */
export const DELETE = route(
  { response: customSkuDeleteResponseSchema, contract: true, auth: "key|session", role: "operator", params },
  async ({ params, ctx }) => deleteCustomSku(ctx, params.metrc, params.sku_key),
);
