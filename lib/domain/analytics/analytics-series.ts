import { z } from "zod";
import { db } from "@/lib/db/client";
import { getSettings } from "@/lib/domain/settings/settings";
import { sizes, stageNames, type Size } from "@/lib/domain/batches/constants";
import { addDays, dateKey, zoneFor } from "@/lib/domain/batches/rate/working-clock";
import type { AnalyticsResponse, PapersUsedDay, StageTime } from "@/lib/domain/analytics/analytics-response";

/**
 * Series of the analytics page that no contract route gives:
 * - stage_times: wall-clock hours batches spent in each stage inside the period, from the stage
 *   history (a stage lasts from the move into it to the next move; the current stage lasts until
 *   now, or until the batch was archived) clipped to the period;
 * - papers_used: papers/cones consumed per calendar day and size (InventoryUsage rows).
 * Days are those of the work schedule's zone, like /api/production-history.
 */

export const analyticsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(30),
});

const HOUR_MS = 3_600_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface StageMove {
  batch_id: string;
  to_stage: number;
  at: Date;
}

export interface BatchSpan {
  id: string;
  stage: number;
  stage_entered_at: Date;
  /** When the batch left the floor (archived); null while active. */
  archived_at: Date | null;
}

/** Pure: hours per stage inside [since, now] from each batch's moves (oldest first). */
export function stageTimes(batches: BatchSpan[], moves: StageMove[], since: Date, now: Date): StageTime[] {
  const byBatch = new Map<string, StageMove[]>();
  for (const m of moves) {
    const list = byBatch.get(m.batch_id) ?? [];
    list.push(m);
    byBatch.set(m.batch_id, list);
  }
  const hours = stageNames.map(() => 0);
  const batchSets = stageNames.map(() => new Set<string>());
  const add = (batchId: string, stage: number, from: Date, to: Date) => {
    const start = Math.max(from.getTime(), since.getTime());
    const end = Math.min(to.getTime(), now.getTime());
    if (stage < 0 || stage >= stageNames.length || end <= start) return;
    hours[stage] += (end - start) / HOUR_MS;
    batchSets[stage].add(batchId);
  };
  for (const b of batches) {
    const list = (byBatch.get(b.id) ?? []).sort((x, y) => x.at.getTime() - y.at.getTime());
    const until = b.archived_at ?? now;
    // Closed stays: each move lasts until the next one.
    for (let i = 0; i + 1 < list.length; i++) add(b.id, list[i].to_stage, list[i].at, list[i + 1].at);
    // The current stage: from when the batch entered it (a stage set without a move, e.g. an
    // import, still has stage_entered_at).
    add(b.id, b.stage, b.stage_entered_at, until);
  }
  return stageNames.map((stage_name, stage) => {
    const batch_count = batchSets[stage].size;
    return {
      stage,
      stage_name,
      total_hours: round1(hours[stage]),
      batch_count,
      average_hours: batch_count > 0 ? round1(hours[stage] / batch_count) : null,
    };
  });
}

/** `GET /api/analytics?days=N`: a few indexed queries (batches on the floor or archived in the period, their moves, the period's usage). */
export async function analyticsSeries(days: number, now = new Date()): Promise<AnalyticsResponse> {
  const { work_schedule } = await getSettings();
  const zone = zoneFor(work_schedule);
  const first = addDays(zone.civil(now), -(days - 1));
  const since = zone.at(first, 0);
  const [batches, usage] = await Promise.all([
    db.batch.findMany({
      where: { OR: [{ archived: false }, { archived_at: { gte: since } }] },
      select: { id: true, stage: true, stage_entered_at: true, archived_at: true },
    }),
    db.inventoryUsage.findMany({ where: { at: { gte: since } }, select: { size: true, units_used: true, at: true } }),
  ]);
  const moves = await db.stageHistory.findMany({
    where: { batch_id: { in: batches.map((b) => b.id) } },
    select: { batch_id: true, to_stage: true, at: true },
  });
  const byDay = new Map<string, PapersUsedDay>();
  for (let i = 0; i < days; i++) {
    const date = dateKey(addDays(first, i));
    byDay.set(date, { date, total: 0, "0_5": 0, "0_7": 0, "1_0": 0 });
  }
  for (const row of usage) {
    const day = byDay.get(dateKey(zone.civil(row.at)));
    if (!day || !(sizes as readonly string[]).includes(row.size)) continue;
    day[row.size as Size] += row.units_used;
    day.total += row.units_used;
  }
  return {
    days,
    since: since.toISOString(),
    stage_times: stageTimes(batches, moves, since, now),
    papers_used: [...byDay.values()],
  };
}
