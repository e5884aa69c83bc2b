import type { Batch } from "@/lib/generated/prisma/client";
import { sizes, stageNames } from "@/lib/domain/batches/constants";
import type { Batch as BatchResponse } from "@/lib/domain/batches/batch-response";
import { massBalance } from "@/lib/domain/batches/mass-balance";

/** Columns the legacy system stored as INTEGER 0/1; ApexAPI and old pages read them as numbers. */
const INT_FLAGS = new Set(["archived", "new_metrc_created", "metrc_transferred", "metrc_batch_created", "is_infused"]);
/** Internal bookkeeping not on the wire. */
const HIDDEN = new Set(["last_inventory_consumed_0_5", "last_inventory_consumed_0_7", "last_inventory_consumed_1_0"]);

const DAY_MS = 86_400_000;

/** Whole 24-hour periods since the batch entered its stage (never negative). */
export function daysInStage(stageEnteredAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - stageEnteredAt.getTime()) / DAY_MS));
}

/**
 * The instant `daysInStage(stageEnteredAt, ·)` next changes after `now`: it counts 24-hour periods
 * from the batch's own entry time, so it ticks at that time of day — not at midnight.
 */
export function daysInStageChangesAt(stageEnteredAt: Date, now: Date): Date {
  return new Date(stageEnteredAt.getTime() + (daysInStage(stageEnteredAt, now) + 1) * DAY_MS);
}

/** A batch on the wire: the type of `batchSchema` (lib/domain/batches/batch-response.ts). */
export type BatchJson = BatchResponse;

// Compile-time drift check between the Batch model and the wire schema: a column added to
// prisma/schema.prisma must be listed in batchSchema (or hidden above), and batchSchema may only
// add the derived fields. `never` on both sides, or this does not type-check.
type HiddenColumn = "last_inventory_consumed_0_5" | "last_inventory_consumed_0_7" | "last_inventory_consumed_1_0";
type DerivedField = "stage_name" | "total_count" | "days_in_stage" | "mass_balance";
type AssertNever<T extends never> = T;
export type _ColumnsMissingFromSchema = AssertNever<Exclude<keyof Batch, keyof BatchJson | HiddenColumn>>;
export type _SchemaFieldsNotColumns = AssertNever<Exclude<keyof BatchJson, keyof Batch | DerivedField>>;

/**
 * A batch in the contract's shape (`GET /api/data`): every field of the data model in snake_case,
 * dates as ISO strings, legacy flags as 0/1; `rate_history` only when asked for. Adds derived
 * `stage_name`, `total_count`, `days_in_stage` and `mass_balance` (lib/domain/batches/mass-balance.ts).
 */
export function serializeBatch(batch: Batch, options: { includeHistory?: boolean; now?: Date } = {}): BatchJson {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(batch)) {
    if (HIDDEN.has(key)) continue;
    if (key === "rate_history" && !options.includeHistory) continue;
    if (INT_FLAGS.has(key)) out[key] = value ? 1 : 0;
    else if (value instanceof Date) out[key] = value.toISOString();
    else out[key] = value;
  }
  const now = options.now ?? new Date();
  out.stage_name = stageNames[batch.stage] ?? "Unknown";
  out.total_count = sizes.reduce((sum, s) => sum + batch[`counts_${s}`], 0);
  out.days_in_stage = daysInStage(batch.stage_entered_at, now);
  out.mass_balance = massBalance(batch);
  // Built key by key from the row, so the compiler cannot follow it: the drift check above covers
  // the keys, tests/integration/wire-contract.test.ts parses real output with batchSchema.
  return out as BatchJson;
}
