import { z } from "zod";
import type { Tx } from "@/lib/db/client";

/**
 * Intervals an admin set by hand (PATCH /api/admin/jobs/{name}), kept apart from the job rows so
 * that "the admin chose 2 h" and "the default happens to be 2 h" stay different things: a job's
 * default (settings/env) applies whenever it changes, unless an override exists. Stored as one
 * settings row outside the settings page's keys: `{ "<job>": seconds }`.
 */

export const JOB_INTERVALS_SETTING = "job_intervals";
export const MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 30 * 24 * 3600;

const overridesSchema = z.record(z.string(), z.number().int().min(MIN_INTERVAL_SECONDS).max(MAX_INTERVAL_SECONDS));

export type IntervalOverrides = Record<string, number>;

export async function readIntervalOverrides(client: Pick<Tx, "setting">): Promise<IntervalOverrides> {
  const row = await client.setting.findUnique({ where: { key: JOB_INTERVALS_SETTING } });
  const parsed = overridesSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : {};
}

/** A positive whole number of seconds; anything else falls back. */
export function wholeSeconds(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 1 ? Math.round(value) : fallback;
}
