import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { resolveMachine } from "@/lib/domain/centrifuge/machines";
import { impulse, impulseZone, impulseZonesObject, rcf, round1, round2 } from "@/lib/domain/centrifuge/physics";
import type { ImpulseCalculateResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import { impulseCalculateSchema } from "@/lib/domain/centrifuge/tool-requests";

export { impulseCalculateSchema };

/** `POST /api/centrifuge/impulse-calculate`: g-force and impulse (N·s) of a setting, and its zone. */
export async function impulseCalculate(input: z.output<typeof impulseCalculateSchema>): Promise<ImpulseCalculateResponse> {
  const settings = await getSettings();
  const { id, machine } = resolveMachine(settings.centrifuge_machines, input.centrifuge_type, "centrifuge_type");
  const g = rcf(machine.radius_inches, input.rpm);
  const value = impulse(input.weight_grams, g, input.time_seconds);
  return {
    success: true as const,
    data: {
      g_force: round1(g),
      impulse_newton_seconds: round2(value),
      impulse_zone: impulseZone(value, settings.impulse_zones),
      impulse_zones: impulseZonesObject(settings.impulse_zones),
      rpm: input.rpm,
      time_seconds: input.time_seconds,
      weight_grams: input.weight_grams,
      centrifuge_type: id,
    },
  };
}
