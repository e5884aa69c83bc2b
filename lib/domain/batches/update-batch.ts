import type { Batch } from "@/lib/generated/prisma/client";
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

/**
 * Edits batch fields (one audit row per changed field, `batch.updated` with their names).
 * When grams ground reach the input grams of a batch at "Not ground", it advances to "Ground"
 * by itself (audited as `stage_auto_advanced`).
 */
export async function updateBatch(ctx: ActorContext, id: string, input: UpdateBatchInput): Promise<Batch> {
  return mutate(ctx, async (m) => {
    const before = await loadBatch(m.tx, id);
    assertKnownMachines((await readSettings(m.tx)).centrifuge_machines, input);
    const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as UpdateBatchInput;
    const changed = Object.keys(patch).filter(
      (k) => auditValue(patch[k as keyof UpdateBatchInput]) !== auditValue(before[k as keyof Batch]),
    );
    let batch = before;
    if (changed.length > 0) {
      batch = await m.tx.batch.update({
        where: { id },
        data: {
          ...patch,
          centrifuge_settings_by_size: patch.centrifuge_settings_by_size ?? undefined,
          source_materials: patch.source_materials ?? undefined,
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
    return batch;
  });
}
