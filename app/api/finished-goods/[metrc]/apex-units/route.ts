import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { apexUnitsSchema, setApexUnits } from "@/lib/domain/finished-goods/apex-units";

/** Any of the four SKU counts (ints ≥ 0) → the four counts echoed, with the whole `apex_units`. */
export const POST = route(
  { contract: true, auth: "key|session", role: "operator", params: apexMetrcParams, body: apexUnitsSchema },
  async ({ params, body, ctx }) => setApexUnits(ctx, params.metrc, body),
);
