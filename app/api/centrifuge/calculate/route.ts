import { route } from "@/lib/http/route";
import { calculateForce, calculateSchema } from "@/lib/domain/centrifuge/calculate";

/** `{success, rpm, centrifuge_type, g_force, radius_inches, safety_zone}`. */
export const POST = route({ contract: true, auth: "key|session", role: "viewer", body: calculateSchema }, ({ body }) =>
  calculateForce(body),
);
