import type { Supply } from "@/lib/generated/prisma/client";

/** Supply stock is boxes + loose units; "low" is below `low_threshold_boxes` full boxes. */

export function totalUnits(s: Pick<Supply, "boxes" | "individual_units" | "units_per_box">): number {
  return s.boxes * s.units_per_box + s.individual_units;
}

export function splitUnits(total: number, unitsPerBox: number): { boxes: number; individual_units: number } {
  const t = Math.max(0, Math.round(total));
  return unitsPerBox > 0 ? { boxes: Math.floor(t / unitsPerBox), individual_units: t % unitsPerBox } : { boxes: 0, individual_units: t };
}

export function isLow(s: Pick<Supply, "boxes" | "individual_units" | "units_per_box" | "low_threshold_boxes">): boolean {
  return totalUnits(s) < s.low_threshold_boxes * s.units_per_box;
}

/** Critical: less than one full box left (and a threshold is set at all). */
export function isCritical(s: Pick<Supply, "boxes" | "individual_units" | "units_per_box" | "low_threshold_boxes">): boolean {
  return isLow(s) && totalUnits(s) < s.units_per_box;
}
