import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { resolveMachine } from "@/lib/domain/centrifuge/machines";
import { rcf, round1, safetyZone } from "@/lib/domain/centrifuge/physics";
import type { CalculateResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import { calculateSchema } from "@/lib/domain/centrifuge/tool-requests";

export { calculateSchema };

/**
 * `POST /api/centrifuge/calculate`: g-force of a speed on a machine, with its rpm safety zone.
 * Speeds outside the machine's range are answered (the contract only asks rpm > 0) and flagged
 * with `within_machine_limits: false`.
 */
export async function calculateForce(input: z.output<typeof calculateSchema>): Promise<CalculateResponse> {
  const settings = await getSettings();
  const { id, machine } = resolveMachine(settings.centrifuge_machines, input.centrifuge_type, "centrifuge_type");
  return {
    success: true as const,
    rpm: input.rpm,
    centrifuge_type: id,
    g_force: round1(rcf(machine.radius_inches, input.rpm)),
    radius_inches: machine.radius_inches,
    safety_zone: safetyZone(input.rpm, settings.centrifuge_safety_zones),
    centrifuge_name: machine.name,
    within_machine_limits: input.rpm >= machine.min_rpm && input.rpm <= machine.max_rpm,
  };
}
