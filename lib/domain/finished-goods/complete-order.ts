import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { overrideReason, positiveGrams, reason, required } from "@/lib/domain/finished-goods/fields";
import { checkLabHold, type LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { setGrams, takeGrams } from "@/lib/domain/finished-goods/move-grams";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/**
 * `POST …/{metrc}/complete-order`: `grams` (required), `order_id`, `reason`. The order leaves the
 * books (EXISTING-SYSTEM §5): ordered goes down (not below 0), fulfilled goes up, current grams go
 * down — by the same conditional update as a deduct, so never below 0 (409 "Insufficient grams
 * available"). Fulfilling an order may use the grams orders reserve, never grams held for
 * wholesale (rule "holds", move-grams.ts; 409 `grams_reserved`). Lab-state holds apply. An admin's
 * `override_reason` overrides both. Fulfilled grams cannot be taken back.
 */
export const completeOrderSchema = z.strictObject({
  grams: positiveGrams.optional(),
  // ApexAPI order ids may be numbers.
  order_id: z
    .union([z.string().trim().max(200), z.number()])
    .transform((v) => String(v))
    .nullable()
    .optional(),
  reason,
  override_reason: overrideReason,
});
export type CompleteOrderInput = z.output<typeof completeOrderSchema>;

export async function completeOrder(
  ctx: ActorContext,
  metrc: string,
  input: CompleteOrderInput,
  caller: LabHoldCaller = { isAdmin: false },
) {
  const grams = required(input.grams, "grams");
  return mutate(ctx, async (m) => {
    const fg = await loadFinishedGood(m.tx, metrc);
    const labOverride = await checkLabHold(m, fg, { ...caller, overrideReason: input.override_reason });
    const taken = await takeGrams(
      m,
      fg.metrc_number,
      grams,
      { grams_fulfilled: { increment: grams } },
      { keep: "holds", isAdmin: caller.isAdmin, overrideReason: input.override_reason },
    );
    // The write lock is ours since the conditional update: these are the figures it changed.
    const previousOrdered = taken.after.grams_ordered;
    const previousFulfilled = roundGrams(taken.after.grams_fulfilled - grams);
    const after = await setGrams(m, fg.metrc_number, { grams_ordered: Math.max(0, roundGrams(previousOrdered - grams)) });
    const orderId = input.order_id || null;
    const reasonText = input.reason ?? null;
    await writeHistory(m, after, "complete_order", {
      gramsChanged: -grams,
      reason: reasonText,
      details: {
        order_id: orderId,
        previous_grams: taken.previous_grams,
        previous_grams_ordered: previousOrdered,
        previous_grams_fulfilled: previousFulfilled,
        ...(labOverride ? { lab_override_reason: labOverride } : {}),
        ...(taken.reservation_override ? { reservation_override: taken.reservation_override } : {}),
      },
    });
    await m.audit({
      entity: "finished_good",
      entityId: after.metrc_number,
      label: after.strain,
      before: {
        current_grams: taken.previous_grams,
        grams_ordered: previousOrdered,
        grams_fulfilled: previousFulfilled,
        status: fg.status,
      },
      after: {
        current_grams: after.current_grams,
        grams_ordered: after.grams_ordered,
        grams_fulfilled: after.grams_fulfilled,
        status: after.status,
      },
    });
    await m.emit("finished_good.order_completed", {
      metrc_number: after.metrc_number,
      strain: after.strain,
      previous_grams: taken.previous_grams,
      current_grams: after.current_grams,
      grams,
      reason: reasonText,
      order_id: orderId,
    });
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      previous_grams_ordered: previousOrdered,
      current_grams_ordered: after.grams_ordered,
      previous_grams_fulfilled: previousFulfilled,
      current_grams_fulfilled: after.grams_fulfilled,
      current_grams: after.current_grams,
      previous_grams: taken.previous_grams,
      order_id: orderId,
    };
  });
}
