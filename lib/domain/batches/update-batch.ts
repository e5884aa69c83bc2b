import { Prisma, type Batch } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { readSettings } from "@/lib/domain/settings/settings";
import { assertKnownMachines } from "@/lib/domain/centrifuge/machines";
import { auditValue } from "@/lib/db/audit";
import type { UpdateBatchInput } from "@/lib/domain/batches/batch-schema";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { applyStageChange } from "@/lib/domain/batches/change-batch-stage";
import { STAGE } from "@/lib/domain/batches/constants";
import { consumeForPacks } from "@/lib/domain/supplies/consume-supplies";
import { capPlan } from "@/lib/domain/batches/allocation";

const planFields = ["planned_0_5", "planned_0_7", "planned_1_0", "plan_use_grams"] as const;

/** A nullable JSON column's patch value: undefined = leave, null = clear (SQL NULL), else the value. */
function jsonPatch(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined {
  if (value === undefined) return undefined;
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

/**
 * The plan part of a patch, capped like POST …/plan (plan-batch.ts): when the patch sets any
 * `planned_*` or `plan_use_grams`, the resulting plan must fit the grams it may use
 * (`plan_use_grams`, 0 = all input grams, never more than `input_grams`); when it does not, every
 * size is scaled down (`adjusted`).
 */
function capPatchedPlan(before: Batch, patch: UpdateBatchInput): { patch: UpdateBatchInput; adjusted: boolean } {
  if (!planFields.some((k) => patch[k] !== undefined)) return { patch, adjusted: false };
  const inputGrams = patch.input_grams ?? before.input_grams;
  const useGrams = patch.plan_use_grams ?? before.plan_use_grams;
  const available = useGrams > 0 ? Math.min(useGrams, inputGrams) : inputGrams;
  const { planned, adjusted } = capPlan(
    {
      "0_5": patch.planned_0_5 ?? before.planned_0_5,
      "0_7": patch.planned_0_7 ?? before.planned_0_7,
      "1_0": patch.planned_1_0 ?? before.planned_1_0,
    },
    available,
  );
  if (!adjusted) return { patch, adjusted };
  return { patch: { ...patch, planned_0_5: planned["0_5"], planned_0_7: planned["0_7"], planned_1_0: planned["1_0"] }, adjusted };
}

/**
 * Edits batch fields (one audit row per changed field, `batch.updated` with their names).
 * When grams ground reach the input grams of a batch at "Not ground", it advances to "Ground"
 * by itself (audited as `stage_auto_advanced`). A plan in the patch is capped to the grams like
 * POST …/plan (`adjusted` when it was). `null` clears `centrifuge_settings_by_size` /
 * `source_materials`.
 */
export async function updateBatch(ctx: ActorContext, id: string, input: UpdateBatchInput): Promise<{ batch: Batch; adjusted: boolean }> {
  return mutate(ctx, async (m) => {
    const before = await loadBatch(m.tx, id);
    assertKnownMachines((await readSettings(m.tx)).centrifuge_machines, input);
    const { patch, adjusted } = capPatchedPlan(
      before,
      Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as UpdateBatchInput,
    );
    const changed = Object.keys(patch).filter(
      (k) => auditValue(patch[k as keyof UpdateBatchInput]) !== auditValue(before[k as keyof Batch]),
    );
    let batch = before;
    if (changed.length > 0) {
      batch = await m.tx.batch.update({
        where: { id },
        data: {
          ...patch,
          centrifuge_settings_by_size: jsonPatch(patch.centrifuge_settings_by_size),
          source_materials: jsonPatch(patch.source_materials),
          packaging_blocked_since:
            patch.packaging_status === undefined
              ? undefined
              : patch.packaging_status === "available"
                ? null
                : before.packaging_status === patch.packaging_status
                  ? before.packaging_blocked_since
                  : m.now,
        },
      });
      await m.audit({ entity: "batch", entityId: id, label: batch.strain, before, after: patch });
      await consumeForPacks(m, id, before, batch); // packs made use their bill of materials
    }
    await m.emit("batch.updated", { batch_id: id, strain: batch.strain, changed_fields: changed });
    if (batch.stage === STAGE.NOT_GROUND && batch.input_grams > 0 && batch.grams_ground >= batch.input_grams) {
      batch = await applyStageChange(m, batch, STAGE.GROUND, true);
    }
    return { batch, adjusted };
  });
}
