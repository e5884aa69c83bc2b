export { strainKey } from "@/lib/domain/strains/strain-key";

/** Whole days from a `YYYY-MM-DD` harvest date to `now` (never negative); null without a valid date. */
export function daysSinceHarvest(harvestDate: string | null | undefined, now = new Date()): number | null {
  const match = harvestDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(harvestDate) : null;
  if (!match) return null;
  const harvested = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(harvested)) return null;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.max(0, Math.floor((today - harvested) / 86_400_000));
}
