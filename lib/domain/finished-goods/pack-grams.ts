import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { overrideReason, positiveGrams, reason, required } from "@/lib/domain/finished-goods/fields";
import { checkLabHold, type LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { recordMove, takeGrams } from "@/lib/domain/finished-goods/move-grams";

/**
 * `POST …/{metrc}/pack`: `grams` (required), `reason`, `override_reason` (admin, lab-state holds).
 * Takes the grams off the shelf (the deduct's conditional update, rule "holds": packing fills
 * orders, so it may use ordered grams but never grams held for wholesale; short → 409) and raises
 * `grams_packed` and `grams_packed_lifetime` in the same transaction.
 */
export const packGramsSchema = z.strictObject({ grams: positiveGrams.optional(), reason, override_reason: overrideReason });
export type PackGramsInput = z.output<typeof packGramsSchema>;

export async function packGrams(ctx: ActorContext, metrc: string, input: PackGramsInput, caller: LabHoldCaller = { isAdmin: false }) {
  const grams = required(input.grams, "grams");
  return mutate(ctx, async (m) => {
    const fg = await loadFinishedGood(m.tx, metrc);
    const labOverride = await checkLabHold(m, fg, { ...caller, overrideReason: input.override_reason });
    const { previous_grams, after, reservation_override } = await takeGrams(
      m,
      fg.metrc_number,
      grams,
      { grams_packed: { increment: grams }, grams_packed_lifetime: { increment: grams } },
      { keep: "holds", isAdmin: caller.isAdmin, overrideReason: input.override_reason },
    );
    await recordMove(m, {
      event: "finished_good.packed",
      changeType: "pack",
      statusBefore: fg.status,
      previous_grams,
      after,
      grams,
      reason: input.reason ?? null,
      details: {
        packed_grams: grams,
        ...(labOverride ? { lab_override_reason: labOverride } : {}),
        ...(reservation_override ? { reservation_override } : {}),
      },
      auditBefore: { grams_packed: roundGrams(after.grams_packed - grams) },
      auditAfter: { grams_packed: after.grams_packed },
    });
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      previous_grams,
      current_grams: after.current_grams,
      grams_packed: after.grams_packed,
      packed_grams: grams,
      grams_packed_lifetime: after.grams_packed_lifetime,
    };
  });
}
