import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { gramsOrUnitsFields, overrideReason, resolveGrams } from "@/lib/domain/finished-goods/fields";
import { checkLabHold, type LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { recordMove, takeGrams } from "@/lib/domain/finished-goods/move-grams";

/**
 * `POST /api/finished-goods/{metrc}/deduct`: `grams`, or `units` + `unit_size`; `reason`;
 * `override_reason` (admin: lab-state holds, reserved grams). One conditional update decides
 * (move-grams.ts, rule "reservations"): a sale may take only available grams — effective (override
 * ?? current) − ordered − packed − held. 409 "Insufficient grams available" with
 * `details.available_grams` when short (`grams_reserved` with held/ordered/packed when the grams
 * are there but reserved); at 0 effective grams the package is depleted.
 */
export const deductGramsSchema = z.strictObject({ ...gramsOrUnitsFields, override_reason: overrideReason });
export type DeductGramsInput = z.output<typeof deductGramsSchema>;

export async function deductGrams(ctx: ActorContext, metrc: string, input: DeductGramsInput, caller: LabHoldCaller = { isAdmin: false }) {
  const { grams, units, unit_size } = resolveGrams(input);
  return mutate(ctx, async (m) => {
    const fg = await loadFinishedGood(m.tx, metrc);
    const labOverride = await checkLabHold(m, fg, { ...caller, overrideReason: input.override_reason });
    const { previous_grams, after, reservation_override } = await takeGrams(
      m,
      fg.metrc_number,
      grams,
      {},
      {
        keep: "reservations",
        isAdmin: caller.isAdmin,
        overrideReason: input.override_reason,
      },
    );
    const reason = input.reason ?? null;
    await recordMove(m, {
      event: "finished_good.deducted",
      changeType: "deduct",
      statusBefore: fg.status,
      previous_grams,
      after,
      grams,
      reason,
      details: {
        units,
        unit_size,
        ...(labOverride ? { lab_override_reason: labOverride } : {}),
        ...(reservation_override ? { reservation_override } : {}),
      },
    });
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      previous_grams,
      current_grams: after.current_grams,
      deducted_grams: grams,
      status: after.status,
    };
  });
}
