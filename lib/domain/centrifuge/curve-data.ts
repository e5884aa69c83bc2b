import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { machineId, resolveMachine } from "@/lib/domain/centrifuge/machines";
import { curve } from "@/lib/domain/centrifuge/physics";
import type { CurveDataResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";

export const MAX_CURVE_POINTS = 2000;

export const curveDataQuery = z
  .object({
    centrifuge: machineId.optional(),
    rpm_min: z.coerce.number().int().min(0).max(100_000).default(500),
    rpm_max: z.coerce.number().int().min(1).max(100_000).default(5000),
    step: z.coerce.number().int().min(1).max(100_000).default(100),
  })
  .refine((q) => q.rpm_max >= q.rpm_min, { message: "rpm_max must not be below rpm_min", path: ["rpm_max"] })
  .refine((q) => (q.rpm_max - q.rpm_min) / q.step < MAX_CURVE_POINTS, {
    message: `At most ${MAX_CURVE_POINTS} points; raise step`,
    path: ["step"],
  });

/** `GET /api/centrifuge/curve-data`: g-force against rpm for one machine, for charts. */
export async function curveData(query: z.output<typeof curveDataQuery>): Promise<CurveDataResponse> {
  const { centrifuge_machines: machines } = await getSettings();
  const { id, machine } = resolveMachine(machines, query.centrifuge, "centrifuge", "query");
  return {
    success: true as const,
    centrifuge: id,
    data: curve(machine, query.rpm_min, query.rpm_max, query.step),
    radius_inches: machine.radius_inches,
    min_rpm: machine.min_rpm,
    max_rpm: machine.max_rpm,
  };
}
