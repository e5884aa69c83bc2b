import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { badRequest } from "@/lib/http/errors";
import { overrideReason, reason, totalGrams } from "@/lib/domain/finished-goods/fields";
import type { LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { recordTracking } from "@/lib/domain/finished-goods/record-tracking";

/**
 * `POST …/{metrc}/sync`: `ordered_grams` and/or `packed_grams` (totals that replace), `reason`;
 * both written in one update. Neither → 400 "At least one of ordered_grams or packed_grams required".
 * Raising either on a package on lab hold is a 409 unless an admin sends `override_reason`.
 */
export const syncOrderTrackingSchema = z.strictObject({
  ordered_grams: totalGrams.optional(),
  packed_grams: totalGrams.optional(),
  reason,
  override_reason: overrideReason,
});
export type SyncOrderTrackingInput = z.output<typeof syncOrderTrackingSchema>;

export async function syncOrderTracking(
  ctx: ActorContext,
  metrc: string,
  input: SyncOrderTrackingInput,
  caller: LabHoldCaller = { isAdmin: false },
) {
  if (input.ordered_grams === undefined && input.packed_grams === undefined) {
    throw badRequest(
      "At least one of ordered_grams or packed_grams required",
      { location: "body", fields: { ordered_grams: ["ordered_grams or packed_grams is required"] } },
      "validation_failed",
    );
  }
  return mutate(ctx, async (m) => {
    const { after } = await recordTracking(
      m,
      metrc,
      "sync",
      { grams_ordered: input.ordered_grams, grams_packed: input.packed_grams },
      input.reason,
      { ...caller, overrideReason: input.override_reason },
    );
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      grams_ordered: after.grams_ordered,
      grams_packed: after.grams_packed,
    };
  });
}
