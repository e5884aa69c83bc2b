import { z } from "zod";
import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { getSettings } from "@/lib/domain/settings/settings";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { addDays, dateKey, startOfDay, zoneFor } from "@/lib/domain/batches/rate/working-clock";
import type { ProductionHistoryResponse } from "@/lib/domain/batches/batch-response";

/**
 * Production per calendar day and "today's" counts, both from CountEntry deltas (net: a
 * correction downwards subtracts). Days and midnight are those of the work schedule's zone — the
 * server's local time zone (see working-clock.ts).
 */

export type PerSize = Record<Size, number>;

/** Net units counted since `since`, per size (all batches, or one). */
export async function countsSince(since: Date, batchId?: string): Promise<PerSize> {
  const groups = await db.countEntry.groupBy({
    by: ["size"],
    where: { at: { gte: since }, ...(batchId ? { batch_id: batchId } : {}) },
    _sum: { delta: true },
  });
  const out = { "0_5": 0, "0_7": 0, "1_0": 0 } as PerSize;
  for (const g of groups) if ((sizes as readonly string[]).includes(g.size)) out[g.size as Size] = g._sum.delta ?? 0;
  return out;
}

/** Local midnight today, in the schedule's zone. */
export async function todayStart(now = new Date()): Promise<Date> {
  const { work_schedule } = await getSettings();
  return startOfDay(now, zoneFor(work_schedule));
}

export const productionHistoryQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(7),
});

export interface DailyProduction {
  date: string;
  total: number;
  "0_5": number;
  "0_7": number;
  "1_0": number;
}

/**
 * `GET /api/production-history?days=N`: one row per calendar day, oldest first, the last N days
 * including today, days without production as zeros. Memoised per database version and day.
 */
export async function productionHistory(days: number, now = new Date()): Promise<ProductionHistoryResponse> {
  const { work_schedule } = await getSettings();
  const zone = zoneFor(work_schedule);
  const today = zone.civil(now);
  const first = addDays(today, -(days - 1));
  const key = `production-history:${days}:${dateKey(today)}`;
  return memoByDataVersion(key, async () => {
    const rows = await db.countEntry.findMany({
      where: { at: { gte: zone.at(first, 0) } },
      select: { size: true, delta: true, at: true },
    });
    const byDay = new Map<string, DailyProduction>();
    for (let i = 0; i < days; i++) {
      const date = dateKey(addDays(first, i));
      byDay.set(date, { date, total: 0, "0_5": 0, "0_7": 0, "1_0": 0 });
    }
    for (const row of rows) {
      const day = byDay.get(dateKey(zone.civil(row.at)));
      if (!day || !(sizes as readonly string[]).includes(row.size)) continue;
      day[row.size as Size] += row.delta;
      day.total += row.delta;
    }
    return { days, daily_production: [...byDay.values()] };
  });
}
