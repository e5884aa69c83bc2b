import { route } from "@/lib/http/route";
import { insightsSchema, snapshotInsights } from "@/lib/domain/recommendations/compare";
import { insightsResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/** `timestamp1` (base), `timestamp2` → `{insights:[{type: danger|warning|info|success, title, message}]}`. */
export const POST = route(
  { response: insightsResponseSchema, contract: true, auth: "session", role: "viewer", body: insightsSchema },
  ({ body }) => snapshotInsights(body),
);
