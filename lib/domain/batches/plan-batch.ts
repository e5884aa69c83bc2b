import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { capPlan } from "@/lib/domain/batches/allocation";
import type { PlanResponse } from "@/lib/domain/batches/batch-response";

const units = z.number().int().min(0).max(10_000_000);
export const planBatchSchema = z.strictObject({
  planned_0_5: units,
  planned_0_7: units,
  planned_1_0: units,
  /** Grams of the batch this plan may use; 0 = all input grams. */
  plan_use_grams: z.number().min(0).max(1_000_000).default(0),
});

/** Sets a batch's plan, capped to the grams available (`adjusted` when capped). */
export async function planBatch(ctx: ActorContext, id: string, input: z.output<typeof planBatchSchema>): Promise<PlanResponse> {
  return mutate(ctx, async (m) => {
    const before = await loadBatch(m.tx, id);
    const available = input.plan_use_grams > 0 ? Math.min(input.plan_use_grams, before.input_grams) : before.input_grams;
    const { planned, adjusted } = capPlan({ "0_5": input.planned_0_5, "0_7": input.planned_0_7, "1_0": input.planned_1_0 }, available);
    const patch = {
      planned_0_5: planned["0_5"],
      planned_0_7: planned["0_7"],
      planned_1_0: planned["1_0"],
      plan_use_grams: input.plan_use_grams,
    };
    await m.tx.batch.update({ where: { id }, data: patch });
    await m.audit({ entity: "batch", entityId: id, label: before.strain, before, after: patch });
    await m.emit("batch.plan_updated", { batch_id: id, strain: before.strain, planned, adjusted });
    return { ok: true, adjusted, planned_0_5: planned["0_5"], planned_0_7: planned["0_7"], planned_1_0: planned["1_0"] };
  });
}
