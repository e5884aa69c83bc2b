import { route } from "@/lib/http/route";
import { settingsGuide, settingsGuideQuery } from "@/lib/domain/centrifuge/settings-guide";

/** `{success, recommendations, safety_zones, centrifuges}`. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer", query: settingsGuideQuery }, ({ query }) =>
  settingsGuide(query),
);
