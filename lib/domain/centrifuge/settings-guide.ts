import { z } from "zod";
import { getSettings } from "@/lib/domain/settings/settings";
import { machinesList } from "@/lib/domain/centrifuge/machines";
import { impulse, impulseZonesObject, rcf, round1, round2 } from "@/lib/domain/centrifuge/physics";
import type { SettingsGuideResponse } from "@/lib/domain/centrifuge/centrifuge-response";

/**
 * Recommended starting ranges per material. "standard" is the contract's (1800–2500 rpm,
 * 10–20 s, 2 cycles); it is the only one the existing system documents, and an unknown material
 * gets it too (with `material: "standard"` and the requested name echoed) rather than an error,
 * as the legacy guide did.
 */
export const MATERIAL_GUIDES = {
  standard: {
    rpm_min: 1800,
    rpm_max: 2500,
    time_min_seconds: 10,
    time_max_seconds: 20,
    cycles: 2,
    notes: "Standard flower grind: start mid-range and adjust by weight checks",
  },
} as const;

export const settingsGuideQuery = z.object({ material: z.string().trim().toLowerCase().max(50).default("standard") });

/** `GET /api/centrifuge/settings-guide`: ranges for a material, the rpm safety zones and the machines. */
export async function settingsGuide(query: z.output<typeof settingsGuideQuery>): Promise<SettingsGuideResponse> {
  const settings = await getSettings();
  const known = Object.hasOwn(MATERIAL_GUIDES, query.material);
  const material = (known ? query.material : "standard") as keyof typeof MATERIAL_GUIDES;
  const guide = MATERIAL_GUIDES[material];
  // What the range means on each machine: g-force at both ends, and the impulse on 1 g over the time range.
  const per_machine = Object.fromEntries(
    Object.entries(settings.centrifuge_machines).map(([id, m]) => {
      const gMin = rcf(m.radius_inches, guide.rpm_min);
      const gMax = rcf(m.radius_inches, guide.rpm_max);
      return [
        id,
        {
          g_force_min: round1(gMin),
          g_force_max: round1(gMax),
          impulse_1g_min: round2(impulse(1, gMin, guide.time_min_seconds)),
          impulse_1g_max: round2(impulse(1, gMax, guide.time_max_seconds)),
        },
      ];
    }),
  );
  return {
    success: true as const,
    material,
    requested_material: query.material,
    recommendations: {
      rpm_range: { min: guide.rpm_min, max: guide.rpm_max },
      time_range_seconds: { min: guide.time_min_seconds, max: guide.time_max_seconds },
      cycles: guide.cycles,
      notes: guide.notes,
      per_machine,
    },
    safety_zones: settings.centrifuge_safety_zones,
    impulse_zones: impulseZonesObject(settings.impulse_zones),
    centrifuges: machinesList(settings.centrifuge_machines),
  };
}
