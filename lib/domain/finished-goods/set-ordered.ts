import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { reason, required, totalGrams } from "@/lib/domain/finished-goods/fields";
import { recordTracking } from "@/lib/domain/finished-goods/record-tracking";

/** `POST …/{metrc}/set-ordered`: `grams` = the new total ordered (replaces; ≥ 0). */
export const setOrderedSchema = z.strictObject({ grams: totalGrams.optional(), reason });
export type SetOrderedInput = z.output<typeof setOrderedSchema>;

export async function setOrdered(ctx: ActorContext, metrc: string, input: SetOrderedInput) {
  const grams = required(input.grams, "grams");
  return mutate(ctx, async (m) => {
    const { after } = await recordTracking(m, metrc, "set_ordered", { grams_ordered: grams }, input.reason);
    return { success: true as const, metrc_number: after.metrc_number, grams_ordered: after.grams_ordered };
  });
}
