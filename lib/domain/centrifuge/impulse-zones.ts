import { getSettings } from "@/lib/domain/settings/settings";
import { impulseZonesObject } from "@/lib/domain/centrifuge/physics";
import type { ImpulseZonesResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `GET /api/centrifuge/impulse-zones`: the zones setting as `{light: {min, max, label, description}, …}`. */
export async function impulseZones(): Promise<ImpulseZonesResponse> {
  const { impulse_zones } = await getSettings();
  return { success: true as const, data: impulseZonesObject(impulse_zones), unit: "N·s" };
}
