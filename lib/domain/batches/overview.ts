import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { STAGE, stageNames } from "@/lib/domain/batches/constants";
import { countsSince, todayStart } from "@/lib/domain/batches/production-history";
import type { OverviewResponse } from "@/lib/domain/batches/batch-response";
import { daysInStage } from "@/lib/domain/batches/serialize-batch";

/** How many batches `priority_batches` lists. */
export const PRIORITY_LIMIT = 5;

/**
 * `GET /api/overview` — ApexAPI's connection test, so it must stay cheap: the two queries (active
 * batches, today's count sums) are memoised per database version and local day; only
 * `days_in_stage` is worked out per request.
 *
 * - stage_counts: every stage name (0 included) → number of active (unarchived) batches there;
 * - production_stats: net units counted since local midnight, all batches, per size and total;
 * - priority_batches: active batches not yet Done that have waited longest in their current
 *   stage (ties: display order), at most PRIORITY_LIMIT, `{id, strain, stage, stage_name,
 *   days_in_stage}` — the contract's fields plus id and stage_name;
 * - total_active: unarchived batches.
 */
export async function overview(now = new Date()): Promise<OverviewResponse> {
  const midnight = await todayStart(now);
  const snapshot = await memoByDataVersion(`overview:${midnight.toISOString()}`, async () => {
    const active = await db.batch.findMany({
      where: { archived: false },
      select: { id: true, strain: true, stage: true, stage_entered_at: true, display_order: true },
      orderBy: [{ display_order: "asc" }, { created_at: "asc" }],
    });
    const today = await countsSince(midnight);
    return { active, today };
  });
  const stage_counts = Object.fromEntries(stageNames.map((n) => [n, 0])) as OverviewResponse["stage_counts"];
  for (const b of snapshot.active) {
    const name = stageNames[b.stage];
    if (name) stage_counts[name] += 1;
  }
  const priority_batches = snapshot.active
    .filter((b) => b.stage < STAGE.DONE)
    .sort((a, b) => a.stage_entered_at.getTime() - b.stage_entered_at.getTime() || a.display_order - b.display_order)
    .slice(0, PRIORITY_LIMIT)
    .map((b) => ({
      id: b.id,
      strain: b.strain,
      stage: b.stage,
      stage_name: stageNames[b.stage] ?? "Unknown",
      days_in_stage: daysInStage(b.stage_entered_at, now),
    }));
  const t = snapshot.today;
  return {
    stage_counts,
    production_stats: {
      today_total: t["0_5"] + t["0_7"] + t["1_0"],
      today_0_5: t["0_5"],
      today_0_7: t["0_7"],
      today_1_0: t["1_0"],
    },
    priority_batches,
    total_active: snapshot.active.length,
  };
}
