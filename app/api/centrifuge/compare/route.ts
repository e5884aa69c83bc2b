import { route } from "@/lib/http/route";
import { compareMachines, compareSchema } from "@/lib/domain/centrifuge/compare";
import { compareResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, source:{centrifuge, rpm, g_force}, equivalent:{<machine>:{rpm, g_force}}}`. */
export const POST = route(
  { response: compareResponseSchema, contract: true, auth: "key|session", role: "viewer", body: compareSchema },
  ({ body }) => compareMachines(body),
);
