import type { Mutation } from "@/lib/db/mutate";
import type { FinishedGood, Prisma } from "@/lib/generated/prisma/client";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { setGrams } from "@/lib/domain/finished-goods/move-grams";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { checkLabHold, type LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";

export type TrackingAction = "order" | "set_ordered" | "set_packed" | "sync";

/**
 * Order tracking (`grams_ordered`, `grams_packed`) without touching current grams: order raises
 * ordered, set-ordered / set-packed / sync replace totals. Written as one update in the caller's
 * transaction, with its history row (change type = the action; grams_changed = the change of
 * ordered, or of packed for set_packed), audit rows and a
 * `finished_good.ordered` event naming the action.
 *
 * With `labHold` (set-packed and sync: ApexAPI reporting stock packed or ordered for sale), a call
 * that raises ordered or packed grams of a package on lab hold is refused (409 `lab_hold`) unless
 * an admin sends `override_reason`; lowering them (a cancelled order) is always allowed.
 */
export async function recordTracking(
  m: Mutation,
  metrc: string,
  action: TrackingAction,
  data: Prisma.FinishedGoodUpdateManyMutationInput,
  reason: string | null | undefined,
  labHold?: LabHoldCaller,
): Promise<{ before: FinishedGood; after: FinishedGood }> {
  const before = await loadFinishedGood(m.tx, metrc);
  const after = await setGrams(m, before.metrc_number, data);
  let labOverride: string | null = null;
  if (labHold && (after.grams_ordered > before.grams_ordered || after.grams_packed > before.grams_packed)) {
    labOverride = await checkLabHold(m, before, labHold);
  }
  const gramsChanged =
    action === "sync"
      ? null
      : action === "set_packed"
        ? roundGrams(after.grams_packed - before.grams_packed)
        : roundGrams(after.grams_ordered - before.grams_ordered);
  await writeHistory(m, after, action, {
    gramsChanged,
    reason: reason ?? null,
    details: {
      previous_grams_ordered: before.grams_ordered,
      previous_grams_packed: before.grams_packed,
      grams_ordered: after.grams_ordered,
      grams_packed: after.grams_packed,
      ...(labOverride ? { lab_override_reason: labOverride } : {}),
    },
  });
  await m.audit({
    entity: "finished_good",
    entityId: after.metrc_number,
    label: after.strain,
    before,
    after: { grams_ordered: after.grams_ordered, grams_packed: after.grams_packed },
  });
  await m.emit("finished_good.ordered", {
    metrc_number: after.metrc_number,
    strain: after.strain,
    grams_ordered: after.grams_ordered,
    grams_packed: after.grams_packed,
    action,
  });
  return { before, after };
}
