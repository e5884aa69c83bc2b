import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate, type Mutation } from "@/lib/db/mutate";
import { positiveGrams, reason, required } from "@/lib/domain/finished-goods/fields";
import { recordTracking } from "@/lib/domain/finished-goods/record-tracking";

/** `POST …/{metrc}/order`: `grams` (required), `reason` — reserves grams; current grams unchanged. */
export const placeOrderSchema = z.strictObject({ grams: positiveGrams.optional(), reason });
export type PlaceOrderInput = z.output<typeof placeOrderSchema>;

/**
 * Raises `grams_ordered` by `grams` inside the caller's mutation (history, audit and
 * `finished_good.ordered` included). `placeOrder` (the order route) and inbound Apex order events
 * (lib/events/sources/inbound-handlers.ts) both order through here.
 */
export async function orderGrams(m: Mutation, metrc: string, grams: number, reason: string | null | undefined) {
  const { after } = await recordTracking(m, metrc, "order", { grams_ordered: { increment: grams } }, reason);
  return after;
}

export async function placeOrder(ctx: ActorContext, metrc: string, input: PlaceOrderInput) {
  const grams = required(input.grams, "grams");
  return mutate(ctx, async (m) => {
    const after = await orderGrams(m, metrc, grams, input.reason);
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      grams_ordered: after.grams_ordered,
      current_grams: after.current_grams,
      ordered_grams: grams,
    };
  });
}
