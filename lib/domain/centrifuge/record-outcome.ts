import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import type { CentrifugeOutcome } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { grindSizes, sizes } from "@/lib/domain/batches/constants";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { readSettings } from "@/lib/domain/settings/settings";
import { machineId, numeric, resolveMachine } from "@/lib/domain/centrifuge/machines";
import { daysSinceHarvest } from "@/lib/domain/centrifuge/strain";
import type { CentrifugeOutcome as CentrifugeOutcomeJson } from "@/lib/domain/centrifuge/centrifuge-response";

const gaugeValue = numeric(z.number().min(1).max(12)).nullable().optional();
const percent = numeric(z.number().min(0).max(100)).nullable().optional();

/**
 * One centrifuge run and how it came out. Settings use the batch field ranges (RPM 500–2500,
 * 1–90 s, 1–3 cycles, gauge 1–12); `yield_percent` and `weight_check_pass_rate` are percentages
 * 0–100. With `batch_id`, the strain, grind size, machine and days since harvest default to the
 * batch's (days from its harvest date to today). A cycle-2 fill gauge is kept only for runs of
 * 2+ cycles.
 */
export const recordOutcomeSchema = z.strictObject({
  batch_id: z.string().min(1).max(100).nullable().optional(),
  strain: z.string().trim().min(1).max(200).optional(),
  size: z.enum(sizes),
  machine: machineId.optional(),
  rpm: numeric(z.number().int().min(500).max(2500)),
  time_seconds: numeric(z.number().int().min(1).max(90)),
  cycles: numeric(z.number().int().min(1).max(3)).default(1),
  fill_gauge_cycle1: gaugeValue,
  fill_gauge_cycle2: gaugeValue,
  grind_size: z.enum(grindSizes).nullable().optional(),
  days_since_harvest: numeric(z.number().int().min(0).max(3650)).nullable().optional(),
  yield_percent: percent,
  weight_check_pass_rate: percent,
  priority_mode: z.enum(["weight", "count"]).default("weight"),
  notes: z.string().trim().max(5000).nullable().optional(),
});
export type RecordOutcomeInput = z.output<typeof recordOutcomeSchema>;

/** Stores the outcome (audited) and emits `centrifuge.outcome_recorded`; the learning processor picks it up. */
export async function recordCentrifugeOutcome(ctx: ActorContext, input: RecordOutcomeInput): Promise<CentrifugeOutcome> {
  return mutate(ctx, async (m) => {
    const batch = input.batch_id ? await loadBatch(m.tx, input.batch_id) : null;
    const strain = input.strain ?? batch?.strain;
    if (!strain) throw fieldError("strain", "Required unless batch_id is given");
    const settings = await readSettings(m.tx);
    const machine = resolveMachine(settings.centrifuge_machines, input.machine ?? batch?.centrifuge_machine ?? undefined, "machine").id;
    const outcome = await m.tx.centrifugeOutcome.create({
      data: {
        batch_id: batch?.id ?? null,
        strain,
        size: input.size,
        machine,
        rpm: input.rpm,
        time_seconds: input.time_seconds,
        cycles: input.cycles,
        fill_gauge_cycle1: input.fill_gauge_cycle1 ?? null,
        fill_gauge_cycle2: input.cycles >= 2 ? (input.fill_gauge_cycle2 ?? null) : null,
        grind_size: input.grind_size !== undefined ? input.grind_size : (batch?.grind_size ?? null),
        days_since_harvest:
          input.days_since_harvest !== undefined ? input.days_since_harvest : daysSinceHarvest(batch?.harvest_date, m.now),
        yield_percent: input.yield_percent ?? null,
        weight_check_pass_rate: input.weight_check_pass_rate ?? null,
        priority_mode: input.priority_mode,
        notes: input.notes ?? null,
        actor: ctx.actor,
        recorded_at: m.now,
      },
    });
    const { id: _id, actor: _actor, recorded_at: _at, processed_at: _p, ...fields } = outcome;
    await m.audit({ entity: "centrifuge_outcome", entityId: String(outcome.id), label: strain, before: null, after: fields });
    await m.emit("centrifuge.outcome_recorded", { outcome_id: outcome.id, strain, size: input.size as (typeof sizes)[number] });
    return outcome;
  });
}

function fieldError(field: string, message: string) {
  return new ApiError(400, "validation_failed", `Invalid value for ${field}`, { location: "body", fields: { [field]: [message] } });
}

/**
 * An outcome on the wire: dates as ISO strings. `size`, `grind_size` and `priority_mode` are
 * String columns that only recordCentrifugeOutcome writes, from the enums of recordOutcomeSchema;
 * re-assigning them keeps every key in the row's order.
 */
export function serializeOutcome(o: CentrifugeOutcome): CentrifugeOutcomeJson {
  return {
    ...o,
    size: o.size as CentrifugeOutcomeJson["size"],
    grind_size: o.grind_size as CentrifugeOutcomeJson["grind_size"],
    priority_mode: o.priority_mode as CentrifugeOutcomeJson["priority_mode"],
    recorded_at: o.recorded_at.toISOString(),
    processed_at: o.processed_at?.toISOString() ?? null,
  };
}
