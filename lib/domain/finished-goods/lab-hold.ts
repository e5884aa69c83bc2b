import type { Mutation } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { conflict } from "@/lib/http/errors";
import { readSettings } from "@/lib/domain/settings/settings";

export interface LabHoldCaller {
  /** Only an admin may override a lab hold. */
  isAdmin: boolean;
  /** The admin's reason (`override_reason` of the body). */
  overrideReason?: string | null;
}

/**
 * Lab-state holds (SPEC §2; the `lab_state_holds` setting, off by default so existing clients keep
 * working): stock whose source batch has not passed testing (`testing_status` ≠ `test_passed`)
 * cannot be sold — deduct, pack, complete-order, apex-decrement, wholesale holds, and set-packed /
 * sync when they raise packed or ordered grams: 409 `lab_hold` — unless an admin sends
 * `override_reason`.
 * A package with no source batch has nothing to judge and is not held.
 * Returns the override reason when one was used (recorded on the package and its history row).
 */
export async function checkLabHold(m: Mutation, fg: FinishedGood, caller: LabHoldCaller): Promise<string | null> {
  if (!fg.source_batch_id) return null;
  const settings = await readSettings(m.tx);
  if (!settings.lab_state_holds.enabled) return null;
  const batch = await m.tx.batch.findUnique({ where: { id: fg.source_batch_id }, select: { testing_status: true } });
  if (!batch || batch.testing_status === "test_passed") return null;
  if (caller.isAdmin && caller.overrideReason) {
    await m.tx.finishedGood.update({ where: { metrc_number: fg.metrc_number }, data: { lab_override_reason: caller.overrideReason } });
    return caller.overrideReason;
  }
  throw conflict(
    "Package is on lab hold: its batch has not passed testing",
    {
      source_batch_id: fg.source_batch_id,
      testing_status: batch.testing_status,
      override: caller.isAdmin ? "send override_reason to override" : "only an admin can override, with override_reason",
    },
    "lab_hold",
  );
}
