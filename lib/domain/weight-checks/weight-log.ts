import type { Batch } from "@/lib/generated/prisma/client";
import { sizeGrams, type Size } from "@/lib/domain/batches/constants";
import { runningYield, statusFor, type RunningYield, type WeightStatus, type YieldPoint } from "@/lib/domain/weight-checks/weight-math";

/**
 * The per-size weight log kept on the batch (`weight_log_0_5` …, a JSON array, as the legacy
 * system stored it). Entries keep the legacy fields {timestamp, sample_weight, unit_weight, count,
 * within_tolerance, actor} and add what this system knows at the time of the check (check id,
 * tare, flower weight, target, deviation, status), so a later tare change does not rewrite history.
 * Legacy entries (imported, without `check_id`) are read as well; missing values are derived.
 */

export interface WeightLogEntry {
  /** The WeightCheck row; null for entries imported from the legacy system. */
  check_id: number | null;
  timestamp: string;
  sample_weight: number;
  sample_units: number;
  unit_weight: number;
  tare_weight: number;
  flower_weight: number;
  target_weight: number;
  deviation_percent: number;
  count: number;
  within_tolerance: boolean;
  status: WeightStatus;
  actor: string;
}

export type WeightLogField = `weight_log_${Size}`;
export const logField = (size: Size): WeightLogField => `weight_log_${size}`;

const num = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};

/** Reads a stored log leniently: anything that is not a usable entry is skipped. */
export function parseWeightLog(value: unknown, size: Size, fallback: { tare: number; tolerancePercent: number }): WeightLogEntry[] {
  if (!Array.isArray(value)) return [];
  const out: WeightLogEntry[] = [];
  for (const raw of value) {
    if (!raw || typeof raw !== "object") continue;
    const e = raw as Record<string, unknown>;
    const units = num(e.sample_units) ?? 10;
    const sample = num(e.sample_weight);
    const unit = num(e.unit_weight) ?? (sample !== null && units > 0 ? sample / units : null);
    if (unit === null) continue;
    const tare = num(e.tare_weight) ?? fallback.tare;
    const target = num(e.target_weight) ?? sizeGrams[size];
    const flower = num(e.flower_weight) ?? Math.max(0, unit - tare);
    const deviation = num(e.deviation_percent) ?? (target > 0 ? Math.round(((flower - target) / target) * 10000) / 100 : 0);
    const status =
      e.status === "good" || e.status === "warning" || e.status === "bad" ? e.status : statusFor(deviation, fallback.tolerancePercent);
    out.push({
      check_id: num(e.check_id),
      timestamp: typeof e.timestamp === "string" ? e.timestamp : "",
      sample_weight: sample ?? unit * units,
      sample_units: units,
      unit_weight: unit,
      tare_weight: tare,
      flower_weight: flower,
      target_weight: target,
      deviation_percent: deviation,
      count: num(e.count) ?? num(e.count_at_measurement) ?? 0,
      within_tolerance: typeof e.within_tolerance === "boolean" ? e.within_tolerance : status === "good",
      status,
      actor: typeof e.actor === "string" ? e.actor : "unknown",
    });
  }
  return out;
}

export function yieldPoints(log: readonly WeightLogEntry[]): YieldPoint[] {
  return log.map((e) => ({ count: e.count, flowerWeight: e.flower_weight }));
}

/** The batch's current count of the size. */
export const countOf = (batch: Batch, size: Size): number => batch[`counts_${size}`];

export function yieldFor(batch: Batch, size: Size, log: readonly WeightLogEntry[]): RunningYield {
  return runningYield(size, countOf(batch, size), yieldPoints(log));
}

/** The newest entry by timestamp (ties: the later one in the log). */
export function latestEntry(log: readonly WeightLogEntry[]): WeightLogEntry | null {
  let best: WeightLogEntry | null = null;
  for (const e of log) if (!best || e.timestamp >= best.timestamp) best = e;
  return best;
}

/**
 * The batch columns a size's log determines: the log itself, the running yield and the last
 * check's count and date. Written together after every change to the log.
 */
export function sizeColumns(batch: Batch, size: Size, log: WeightLogEntry[]) {
  const last = latestEntry(log);
  const lastDate = last && !Number.isNaN(Date.parse(last.timestamp)) ? new Date(last.timestamp) : null;
  return {
    [logField(size)]: log,
    [`running_yield_${size}`]: yieldFor(batch, size, log).running_yield,
    [`last_weight_check_count_${size}`]: last ? Math.max(0, Math.round(last.count)) : 0,
    [`last_weight_check_date_${size}`]: lastDate,
  } as Record<string, unknown>;
}
