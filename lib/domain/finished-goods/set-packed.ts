import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { overrideReason, reason, required, totalGrams } from "@/lib/domain/finished-goods/fields";
import type { LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { recordTracking } from "@/lib/domain/finished-goods/record-tracking";

/**
 * `POST …/{metrc}/set-packed`: `grams` = the new total packed (replaces; ≥ 0). Bookkeeping for
 * ApexAPI's packed-quantity sync: current grams and `grams_packed_lifetime` are left alone
 * (`…/pack` is the operation that takes grams off the shelf). Raising it on a package on lab hold
 * is a 409 unless an admin sends `override_reason` (record-tracking.ts).
 */
export const setPackedSchema = z.strictObject({ grams: totalGrams.optional(), reason, override_reason: overrideReason });
export type SetPackedInput = z.output<typeof setPackedSchema>;

export async function setPacked(ctx: ActorContext, metrc: string, input: SetPackedInput, caller: LabHoldCaller = { isAdmin: false }) {
  const grams = required(input.grams, "grams");
  return mutate(ctx, async (m) => {
    const { after } = await recordTracking(m, metrc, "set_packed", { grams_packed: grams }, input.reason, {
      ...caller,
      overrideReason: input.override_reason,
    });
    return { success: true as const, metrc_number: after.metrc_number, grams_packed: after.grams_packed };
  });
}
