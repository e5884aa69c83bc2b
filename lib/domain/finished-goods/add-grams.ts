import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { gramsOrUnitsFields, resolveGrams } from "@/lib/domain/finished-goods/fields";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { giveGrams, recordMove } from "@/lib/domain/finished-goods/move-grams";

/**
 * `POST /api/finished-goods/{metrc}/add`: same body as deduct. One atomic increment; a depleted
 * package is active again.
 */
export const addGramsSchema = z.strictObject(gramsOrUnitsFields);
export type AddGramsInput = z.output<typeof addGramsSchema>;

export async function addGrams(ctx: ActorContext, metrc: string, input: AddGramsInput) {
  const { grams, units, unit_size } = resolveGrams(input);
  return mutate(ctx, async (m) => {
    const fg = await loadFinishedGood(m.tx, metrc);
    const { previous_grams, after } = await giveGrams(m, fg.metrc_number, grams);
    const reason = input.reason ?? null;
    await recordMove(m, {
      event: "finished_good.added",
      changeType: "add",
      statusBefore: fg.status,
      previous_grams,
      after,
      grams,
      reason,
      details: { units, unit_size },
    });
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      previous_grams,
      current_grams: after.current_grams,
      added_grams: grams,
      status: after.status,
    };
  });
}
