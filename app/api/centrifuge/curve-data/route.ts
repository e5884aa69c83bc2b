import { route } from "@/lib/http/route";
import { curveData, curveDataQuery } from "@/lib/domain/centrifuge/curve-data";
import { curveDataResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, centrifuge, data:[{rpm, g_force}]}`. */
export const GET = route(
  { response: curveDataResponseSchema, contract: true, auth: "key|session", role: "viewer", query: curveDataQuery },
  ({ query }) => curveData(query),
);
