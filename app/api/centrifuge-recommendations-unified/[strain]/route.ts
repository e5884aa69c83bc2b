import { route } from "@/lib/http/route";
import { strainParams } from "@/lib/domain/centrifuge/trends";
import { unifiedQuery, unifiedRecommendations } from "@/lib/domain/centrifuge/unified-recommendations";
import { unifiedRecommendationsResponseSchema } from "@/lib/domain/centrifuge/centrifuge-response";

/** Per-size recommendations: `{success, strain, has_data, priority_mode, …, recommendations:{"0_5":{…}, "0_7":{…}, "1_0":{…}}}`. */
export const GET = route(
  {
    response: unifiedRecommendationsResponseSchema,
    contract: true,
    auth: "key|session",
    role: "viewer",
    params: strainParams,
    query: unifiedQuery,
  },
  ({ params, query }) => unifiedRecommendations(params.strain, query),
);
