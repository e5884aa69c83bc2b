import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { positiveGrams, reason, required } from "@/lib/domain/finished-goods/fields";
import { recordTracking } from "@/lib/domain/finished-goods/record-tracking";

/** `POST …/{metrc}/order`: `grams` (required), `reason` — reserves grams; current grams unchanged. */
export const placeOrderSchema = z.strictObject({ grams: positiveGrams.optional(), reason });
export type PlaceOrderInput = z.output<typeof placeOrderSchema>;

export async function placeOrder(ctx: ActorContext, metrc: string, input: PlaceOrderInput) {
  const grams = required(input.grams, "grams");
  return mutate(ctx, async (m) => {
    const { after } = await recordTracking(m, metrc, "order", { grams_ordered: { increment: grams } }, input.reason);
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      grams_ordered: after.grams_ordered,
      current_grams: after.current_grams,
      ordered_grams: grams,
    };
  });
}
