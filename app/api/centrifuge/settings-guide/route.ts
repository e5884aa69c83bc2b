import { route } from "@/lib/http/route";
import { settingsGuide, settingsGuideQuery } from "@/lib/domain/centrifuge/settings-guide";
import { settingsGuideResponseSchema } from "@/lib/domain/centrifuge/centrifuge-response";

/** `{success, recommendations, safety_zones, centrifuges}`. */
export const GET = route(
  { response: settingsGuideResponseSchema, contract: true, auth: "key|session", role: "viewer", query: settingsGuideQuery },
  ({ query }) => settingsGuide(query),
);
