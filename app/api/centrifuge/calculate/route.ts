import { route } from "@/lib/http/route";
import { calculateForce, calculateSchema } from "@/lib/domain/centrifuge/calculate";
import { calculateResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, rpm, centrifuge_type, g_force, radius_inches, safety_zone}`. */
export const POST = route(
  { response: calculateResponseSchema, contract: true, auth: "key|session", role: "viewer", body: calculateSchema },
  ({ body }) => calculateForce(body),
);
