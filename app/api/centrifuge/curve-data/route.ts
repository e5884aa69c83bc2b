import { route } from "@/lib/http/route";
import { curveData, curveDataQuery } from "@/lib/domain/centrifuge/curve-data";

/** `{success, centrifuge, data:[{rpm, g_force}]}`. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer", query: curveDataQuery }, ({ query }) => curveData(query));
