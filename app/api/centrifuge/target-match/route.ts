import { route } from "@/lib/http/route";
import { targetMatch, targetMatchSchema } from "@/lib/domain/centrifuge/target-match";
import { targetMatchResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, data:{target_impulse, adjust_mode, recommended_rpm | recommended_time, time_seconds, achieved_impulse, g_force}}`. */
export const POST = route(
  { response: targetMatchResponseSchema, contract: true, auth: "key|session", role: "viewer", body: targetMatchSchema },
  ({ body }) => targetMatch(body),
);
