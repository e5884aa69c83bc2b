import { route } from "@/lib/http/route";
import { impulseCalculate, impulseCalculateSchema } from "@/lib/domain/centrifuge/impulse-calculate";
import { impulseCalculateResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, data:{g_force, impulse_newton_seconds, impulse_zone, impulse_zones}}`. */
export const POST = route(
  { response: impulseCalculateResponseSchema, contract: true, auth: "key|session", role: "viewer", body: impulseCalculateSchema },
  ({ body }) => impulseCalculate(body),
);
