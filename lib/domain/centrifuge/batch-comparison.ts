import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { machineId, numeric, resolveMachine } from "@/lib/domain/centrifuge/machines";
import { impulse, impulseZone, rcf, round1, round2 } from "@/lib/domain/centrifuge/physics";

export const batchComparisonSchema = z.object({
  rpm: numeric(z.number().positive().max(100_000)),
  time_seconds: numeric(z.number().positive().max(3600)).default(15),
  centrifuge_type: machineId.optional(),
  /** Grams per pre-roll to compare; the three sizes when omitted. */
  batch_weights: z
    .array(numeric(z.number().positive().max(10_000)))
    .min(1)
    .max(100)
    .default([0.5, 0.7, 1.0]),
});

/**
 * `POST /api/centrifuge/batch-comparison`: one setting applied to several fill weights — the
 * impulse each weight takes and its zone (heavier cones pack harder at the same setting).
 */
export async function batchComparison(input: z.output<typeof batchComparisonSchema>) {
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
