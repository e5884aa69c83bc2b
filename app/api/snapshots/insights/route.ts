import { route } from "@/lib/http/route";
import { insightsSchema, snapshotInsights } from "@/lib/domain/recommendations/compare";

/** `timestamp1` (base), `timestamp2` → `{insights:[{type: danger|warning|info|success, title, message}]}`. */
export const POST = route({ contract: true, auth: "session", role: "viewer", body: insightsSchema }, ({ body }) => snapshotInsights(body));
