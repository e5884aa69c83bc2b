import type { Batch } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { readSettings } from "@/lib/domain/settings/settings";
import { assertKnownMachines } from "@/lib/domain/centrifuge/machines";
import type { CreateBatchInput } from "@/lib/domain/batches/batch-schema";
import { applyStageChange } from "@/lib/domain/batches/change-batch-stage";
import { consumeForPacks } from "@/lib/domain/supplies/consume-supplies";

/** Creates a batch at stage 0 (then moves it if a stage was given), last in display order. */
export async function createBatch(ctx: ActorContext, input: CreateBatchInput): Promise<Batch> {
  return mutate(ctx, async (m) => {
    const { stage, ...fields } = input;
    assertKnownMachines((await readSettings(m.tx)).centrifuge_machines, fields);
    const last = await m.tx.batch.aggregate({ where: { archived: false }, _max: { display_order: true } });
    const data = {
      ...fields,
      display_order: fields.display_order ?? (last._max.display_order ?? 0) + 1,
      centrifuge_settings_by_size: fields.centrifuge_settings_by_size ?? undefined,
      source_materials: fields.source_materials ?? undefined,
      stage_entered_at: m.now,
      created_at: m.now,
    };
    let batch = await m.tx.batch.create({ data });
    await m.tx.stageHistory.create({
      data: { batch_id: batch.id, from_stage: null, to_stage: 0, actor: m.ctx.actor, at: m.now },
    });
    await m.audit({ entity: "batch", entityId: batch.id, label: batch.strain, before: null, after: { ...fields, stage: 0 } });
    await consumeForPacks(m, batch.id, { packaged_singles: 0, packaged_6_packs: 0, packaged_12_packs: 0 }, batch);
    await m.emit("batch.created", { batch_id: batch.id, strain: batch.strain, input_grams: batch.input_grams, stage: 0 });
    if (stage !== undefined && stage !== 0) batch = await applyStageChange(m, batch, stage);
    return batch;
  });
}
