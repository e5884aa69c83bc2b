import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { resolveMachine } from "@/lib/domain/centrifuge/machines";
import { impulse, impulseZone, rcf, round1, round2 } from "@/lib/domain/centrifuge/physics";
import type { BatchComparisonResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import { batchComparisonSchema } from "@/lib/domain/centrifuge/tool-requests";

export { batchComparisonSchema };

/**
 * `POST /api/centrifuge/batch-comparison`: one setting applied to several fill weights — the
 * impulse each weight takes and its zone (heavier cones pack harder at the same setting).
 */
export async function batchComparison(input: z.output<typeof batchComparisonSchema>): Promise<BatchComparisonResponse> {
  const settings = await getSettings();
  const { id, machine } = resolveMachine(settings.centrifuge_machines, input.centrifuge_type, "centrifuge_type");
  const g = rcf(machine.radius_inches, input.rpm);
  return {
    success: true as const,
    data: {
      rpm: input.rpm,
      time_seconds: input.time_seconds,
      centrifuge_type: id,
      g_force: round1(g),
      comparisons: input.batch_weights.map((weight) => {
        const value = impulse(weight, g, input.time_seconds);
        return { weight_grams: weight, impulse_newton_seconds: round2(value), impulse_zone: impulseZone(value, settings.impulse_zones) };
      }),
    },
  };
}
