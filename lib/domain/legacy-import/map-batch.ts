import type { Prisma } from "@/lib/generated/prisma/client";
import { grindSizes, packagingStatuses, stageNames, testingStatuses } from "@/lib/domain/batches/constants";
import { legacyBool, legacyJson, legacyNumber, legacyText, legacyTime, type LegacyRow } from "@/lib/domain/legacy-import/legacy-values";
import type { Skipped } from "@/lib/domain/legacy-import/report";

/**
 * One legacy `batches` row → our Batch. Column names are the same (our schema kept them) except
 * `_last_inventory_consumed_*`. The legacy CHECK constraints (schema version 2+) are enforced here
 * for every version: a row that breaks one (stage outside 0–7, a negative count or gram figure, a
 * cannabinoid % outside 0–100, no strain) is skipped; a value our app would refuse but the row can
 * live without (fill gauge, machine, grind, unparseable JSON) is dropped and reported.
 */

const NON_NEGATIVE_INT = [
  "produced",
  "counts_0_5",
  "counts_0_7",
  "counts_1_0",
  "planned_0_5",
  "planned_0_7",
  "planned_1_0",
  "labels_printed",
] as const;
const NON_NEGATIVE_FLOAT = ["input_grams", "target_grams_each", "grams_used", "grams_ground", "plan_use_grams"] as const;
const PERCENT = ["thc_percent", "thca_percent", "tac_percent", "cbd_percent"] as const;
const INTS = [
  "display_order",
  "last_weight_check_count_0_5",
  "last_weight_check_count_0_7",
  "last_weight_check_count_1_0",
  "packaged_singles",
  "packaged_6_packs",
  "packaged_12_packs",
  "loose_tupperware",
  "centrifuge_rpm",
  "centrifuge_time_seconds",
] as const;
const FLOATS = [
  "running_yield_0_5",
  "running_yield_0_7",
  "running_yield_1_0",
  "final_weight_0_5",
  "final_weight_0_7",
  "final_weight_1_0",
  "cached_production_rate",
  "production_duration_hours",
  "total_work_hours",
] as const;
const TEXTS = [
  "harvest_date",
  "bay_number",
  "origin_metrc_number",
  "new_metrc_number",
  "test_package_id",
  "testing_lab",
  "test_date",
  "test_results",
  "testing_notes",
  "packaging_blocker_type",
  "packaging_notes",
] as const;
const BOOLS = ["archived", "new_metrc_created", "metrc_transferred", "metrc_batch_created", "is_infused"] as const;
const DATES = [
  "production_start_time",
  "production_end_time",
  "packaging_blocked_since",
  "rate_calculation_time",
  "last_rate_update",
  "current_session_start",
  "last_weight_check_date_0_5",
  "last_weight_check_date_0_7",
  "last_weight_check_date_1_0",
] as const;
const JSONS = [
  "centrifuge_settings_by_size",
  "rate_history",
  "rate_metrics",
  "production_sessions",
  "source_materials",
  "weight_log_0_5",
  "weight_log_0_7",
  "weight_log_1_0",
] as const;
const SIZES = ["0_5", "0_7", "1_0"] as const;
const MACHINES = ["silver_bullet", "lab_geek"];

/** Stage as a number 0–7: integers, digit text, or the stage's name as older versions stored it. */
export function legacyStage(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value <= 7 ? value : undefined;
  if (typeof value === "bigint") return legacyStage(Number(value));
  if (typeof value !== "string") return value === null || value === undefined ? 0 : undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return legacyStage(Number(text));
  const byName = stageNames.findIndex((n) => n.toLowerCase() === text.toLowerCase().replace(/_/g, " "));
  return byName >= 0 ? byName : undefined;
}

/** Facts about a batch taken from its audit history (created, last change, stage entered, archived). */
export interface BatchHistoryFacts {
  first?: Date;
  last?: Date;
  stageEntered?: Date;
  archivedAt?: Date;
}

export type MappedBatch = { ok: true; data: Prisma.BatchCreateManyInput; dropped: Skipped[] } | { ok: false; skipped: Skipped };

export function mapBatch(row: LegacyRow, facts: BatchHistoryFacts, importedAt: Date): MappedBatch {
  const id = legacyText(row.id) ?? "";
  const skip = (detail: string): MappedBatch => ({ ok: false, skipped: { table: "batches", id, reason: "constraint", detail } });
  const dropped: Skipped[] = [];
  const drop = (field: string, reason: Skipped["reason"], detail: string) => dropped.push({ table: "batches", id, field, reason, detail });

  const strain = legacyText(row.strain)?.trim();
  if (!id) return skip("no id");
  if (!strain) return skip("no strain");
  const stage = legacyStage(row.stage);
  if (stage === undefined) return skip(`stage ${JSON.stringify(row.stage)} is not one of 0–7 or a stage name`);

  const data: Record<string, unknown> = { id, strain, stage };
  for (const f of [...NON_NEGATIVE_INT, ...NON_NEGATIVE_FLOAT]) {
    const n = legacyNumber(row[f]);
    if (n === undefined || (n !== null && n < 0)) return skip(`${f} = ${JSON.stringify(row[f])} (must be a number ≥ 0)`);
    if (n !== null) data[f] = (NON_NEGATIVE_INT as readonly string[]).includes(f) ? Math.round(n) : n;
  }
  for (const f of PERCENT) {
    const n = legacyNumber(row[f]);
    if (n === undefined || (n !== null && (n < 0 || n > 100))) return skip(`${f} = ${JSON.stringify(row[f])} (must be 0–100)`);
    data[f] = n;
  }
  for (const f of [...INTS, ...FLOATS]) {
    const n = legacyNumber(row[f]);
    if (n === undefined) drop(f, "constraint", `${JSON.stringify(row[f])} is not a number`);
    else if (n !== null) data[f] = (INTS as readonly string[]).includes(f) ? Math.round(n) : n;
  }
  for (const size of SIZES) {
    const n = legacyNumber(row[`_last_inventory_consumed_${size}`] ?? row[`last_inventory_consumed_${size}`]);
    if (n !== null && n !== undefined) data[`last_inventory_consumed_${size}`] = Math.round(n);
  }
  for (const f of TEXTS) data[f] = legacyText(row[f]);
  for (const f of BOOLS) data[f] = legacyBool(row[f]);
  for (const f of DATES) {
    const d = legacyTime(row[f]);
    if (d === undefined) drop(f, "timestamp", `${JSON.stringify(row[f])} is not a timestamp`);
    else data[f] = d;
  }
  for (const f of JSONS) {
    const v = legacyJson(row[f]);
    if (v === undefined) drop(f, "json", `unparseable JSON ${preview(row[f])}`);
    else if (v !== null) data[f] = v;
  }

  const cycles = legacyNumber(row.centrifuge_cycles);
  if (cycles !== null && cycles !== undefined && Number.isInteger(cycles) && cycles >= 1 && cycles <= 3) data.centrifuge_cycles = cycles;
  else if (cycles !== null) drop("centrifuge_cycles", "constraint", `${JSON.stringify(row.centrifuge_cycles)} (must be 1–3)`);
  for (const f of ["centrifuge_fill_gauge_cycle1", "centrifuge_fill_gauge_cycle2"] as const) {
    const n = legacyNumber(row[f]);
    if (n !== null && n !== undefined && n >= 1 && n <= 12) data[f] = n;
    else if (n !== null) drop(f, "constraint", `${JSON.stringify(row[f])} (must be 1–12)`);
  }
  const oneOf = (f: string, allowed: readonly string[], fallback?: string) => {
    const v = legacyText(row[f]);
    if (v === null || v === "") return;
    if (allowed.includes(v)) data[f] = v;
    else drop(f, "constraint", `${JSON.stringify(v)} is not one of ${allowed.join(", ")}${fallback ? ` (set to ${fallback})` : ""}`);
  };
  oneOf("centrifuge_machine", MACHINES);
  oneOf("grind_size", grindSizes);
  oneOf("testing_status", testingStatuses, "none");
  oneOf("packaging_status", packagingStatuses, "available");
  oneOf("paper_size_override", SIZES);

  const created = facts.first ?? (data.production_start_time as Date | null) ?? importedAt;
  data.created_at = created;
  data.updated_at = facts.last ?? created;
  data.stage_entered_at = facts.stageEntered ?? (data.production_start_time as Date | null) ?? created;
  if (data.archived) data.archived_at = facts.archivedAt ?? facts.last ?? created;
  return { ok: true, data: data as Prisma.BatchCreateManyInput, dropped };
}

export function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
