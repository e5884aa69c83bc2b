import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { auditValue } from "@/lib/db/audit";
import { mutate, type Mutation } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { batchId, notes, reason, strainName } from "@/lib/domain/finished-goods/fields";
import { assertBatchExists } from "@/lib/domain/finished-goods/create-finished-good";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/** `PUT /api/finished-goods/{metrc}`: `strain`, `notes`, `source_batch_id` (null unlinks), `reason`. */
export const updateFinishedGoodSchema = z
  .strictObject({
    strain: strainName.optional(),
    notes: notes.optional(),
    source_batch_id: batchId.nullable().optional(),
    reason,
  })
  .refine((v) => v.strain !== undefined || v.notes !== undefined || v.source_batch_id !== undefined, {
    message: "Nothing to update: send strain, notes or source_batch_id",
  });
export type UpdateFinishedGoodInput = z.output<typeof updateFinishedGoodSchema>;

const EDITABLE = ["strain", "notes", "source_batch_id"] as const;

/** Edits the package's descriptive fields; `updated_fields` names those that really changed. */
export async function updateFinishedGood(
  ctx: ActorContext,
  metrc: string,
  input: UpdateFinishedGoodInput,
): Promise<{ package: FinishedGood; updated_fields: string[] }> {
  return mutate(ctx, async (m) => applyFinishedGoodUpdate(m, await loadFinishedGood(m.tx, metrc), input));
}

/** The edit inside the caller's mutation (the PUT route, the inbox import); `before` is the stored package. */
export async function applyFinishedGoodUpdate(
  m: Mutation,
  before: FinishedGood,
  input: UpdateFinishedGoodInput,
): Promise<{ package: FinishedGood; updated_fields: string[] }> {
  const patch: Partial<Pick<FinishedGood, (typeof EDITABLE)[number]>> = {};
  for (const field of EDITABLE) {
    const value = input[field];
    if (value !== undefined && auditValue(value) !== auditValue(before[field])) Object.assign(patch, { [field]: value });
  }
  if (patch.source_batch_id) await assertBatchExists(m.tx, patch.source_batch_id);
  const updated_fields = Object.keys(patch);
  let after = before;
  if (updated_fields.length > 0) {
    after = await m.tx.finishedGood.update({ where: { metrc_number: before.metrc_number }, data: { ...patch, updated_date: m.now } });
    await writeHistory(m, after, "update", {
      reason: input.reason,
      details: {
        updated_fields,
        changes: Object.fromEntries(
          updated_fields.map((f) => [f, { old: before[f as keyof FinishedGood], new: patch[f as keyof typeof patch] }]),
        ),
      },
    });
    await m.audit({ entity: "finished_good", entityId: before.metrc_number, label: after.strain, before, after: patch });
  }
  await m.emit("finished_good.updated", { metrc_number: before.metrc_number, strain: after.strain, updated_fields });
  return { package: after, updated_fields };
}
