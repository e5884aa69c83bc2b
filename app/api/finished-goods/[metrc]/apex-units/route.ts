import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { apexUnitsSchema, setApexUnits } from "@/lib/domain/finished-goods/apex-units";
import { apexUnitsResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Any of the four SKU counts (ints ≥ 0) → the four counts echoed, with the whole `apex_units`. */
export const POST = route(
  {
    response: apexUnitsResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: apexMetrcParams,
    body: apexUnitsSchema,
  },
  async ({ params, body, ctx }) => setApexUnits(ctx, params.metrc, body),
);
