import { route } from "@/lib/http/route";
import { compareMachines, compareSchema } from "@/lib/domain/centrifuge/compare";

/** `{success, source:{centrifuge, rpm, g_force}, equivalent:{<machine>:{rpm, g_force}}}`. */
export const POST = route({ contract: true, auth: "key|session", role: "viewer", body: compareSchema }, ({ body }) =>
  compareMachines(body),
);
