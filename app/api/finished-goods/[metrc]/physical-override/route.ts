import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { setPhysicalOverride, physicalOverrideSchema } from "@/lib/domain/finished-goods/physical-override";
import { physicalOverrideResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `physical_grams` (null clears): `{success, physical_grams_override, effective_grams, current_grams, has_physical_override}`. */
export const POST = route(
  {
    response: physicalOverrideResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: metrcParams,
    body: physicalOverrideSchema,
  },
  async ({ params, body, ctx }) => setPhysicalOverride(ctx, params.metrc, body),
);
