import { getSettings } from "@/lib/domain/settings/settings";
import { impulseZonesObject } from "@/lib/domain/centrifuge/physics";

/** `GET /api/centrifuge/impulse-zones`: the zones setting as `{light: {min, max, label, description}, …}`. */
export async function impulseZones() {
  const { impulse_zones } = await getSettings();
  return { success: true as const, data: impulseZonesObject(impulse_zones), unit: "N·s" };
}
