import type { Batch } from "@/lib/generated/prisma/client";
import { sizes, stageNames } from "@/lib/domain/batches/constants";

/** Columns the legacy system stored as INTEGER 0/1; ApexAPI and old pages read them as numbers. */
const INT_FLAGS = new Set(["archived", "new_metrc_created", "metrc_transferred", "metrc_batch_created", "is_infused"]);
/** Internal bookkeeping not on the wire. */
const HIDDEN = new Set(["last_inventory_consumed_0_5", "last_inventory_consumed_0_7", "last_inventory_consumed_1_0"]);

export type BatchJson = Record<string, unknown>;

/**
 * A batch in the contract's shape (`GET /api/data`): every field of the data model in snake_case,
 * dates as ISO strings, legacy flags as 0/1; `rate_history` only when asked for. Adds derived
 * `stage_name`, `total_count` and `days_in_stage`.
 */
export function serializeBatch(batch: Batch, options: { includeHistory?: boolean; now?: Date } = {}): BatchJson {
  const out: BatchJson = {};
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
  out.days_in_stage = Math.floor((now.getTime() - batch.stage_entered_at.getTime()) / 86_400_000);
  return out;
}
