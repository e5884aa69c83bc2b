import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { resolveMachine } from "@/lib/domain/centrifuge/machines";
import { rcf, round1, rpmForRcf } from "@/lib/domain/centrifuge/physics";
import type { CompareResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import { compareSchema } from "@/lib/domain/centrifuge/tool-requests";

export { compareSchema };

/**
 * `POST /api/centrifuge/compare`: the speed every other machine needs for the same g-force as
 * `rpm` on the source machine (whole rpm; `within_limits` false when outside that machine's range).
 */
export async function compareMachines(input: z.output<typeof compareSchema>): Promise<CompareResponse> {
  const { centrifuge_machines: machines } = await getSettings();
  const source = resolveMachine(machines, input.source_centrifuge, "source_centrifuge");
  const g = rcf(source.machine.radius_inches, input.rpm);
  const equivalent: Record<string, { rpm: number; g_force: number; name: string; within_limits: boolean }> = {};
  for (const [id, machine] of Object.entries(machines)) {
    if (id === source.id) continue;
    const rpm = Math.round(rpmForRcf(machine.radius_inches, g));
    equivalent[id] = {
      rpm,
      g_force: round1(rcf(machine.radius_inches, rpm)),
      name: machine.name,
      within_limits: rpm >= machine.min_rpm && rpm <= machine.max_rpm,
    };
  }
  return {
    success: true as const,
    source: { centrifuge: source.id, rpm: input.rpm, g_force: round1(g), name: source.machine.name },
    equivalent,
  };
}
