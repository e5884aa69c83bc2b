import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { resolveMachine } from "@/lib/domain/centrifuge/machines";
import { impulseZone, round1, round2, solveTargetImpulse } from "@/lib/domain/centrifuge/physics";
import type { TargetMatchResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import { targetMatchSchema } from "@/lib/domain/centrifuge/tool-requests";

export { targetMatchSchema };

/**
 * `POST /api/centrifuge/target-match`: the rpm (time fixed) or the time (rpm fixed) that gives the
 * target impulse, bounded by the machine's rpm range and 1–90 s. `recommended_rpm` or
 * `recommended_time` per the contract; `achievable`/`limited_by` say when a bound was hit.
 */
export async function targetMatch(input: z.output<typeof targetMatchSchema>): Promise<TargetMatchResponse> {
  const settings = await getSettings();
  const { id, machine } = resolveMachine(settings.centrifuge_machines, input.centrifuge_type, "centrifuge_type");
  const solved = solveTargetImpulse({
    target: input.target_impulse,
    mode: input.adjust_mode,
    rpm: input.rpm,
    timeSeconds: input.time_seconds,
    weightGrams: input.weight_grams,
    machine,
  });
  return {
    success: true as const,
    data: {
      target_impulse: input.target_impulse,
      adjust_mode: input.adjust_mode,
      ...(input.adjust_mode === "rpm" ? { recommended_rpm: solved.rpm } : { recommended_time: solved.time_seconds }),
      rpm: solved.rpm,
      time_seconds: solved.time_seconds,
      achieved_impulse: round2(solved.achieved_impulse),
      g_force: round1(solved.g_force),
      impulse_zone: impulseZone(solved.achieved_impulse, settings.impulse_zones),
      achievable: solved.achievable,
      limited_by: solved.limited_by,
      weight_grams: input.weight_grams,
      centrifuge_type: id,
    },
  };
}
