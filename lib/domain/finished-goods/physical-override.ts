import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { reason, required } from "@/lib/domain/finished-goods/fields";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { settle } from "@/lib/domain/finished-goods/move-grams";

/**
 * `POST /api/finished-goods/{metrc}/physical-override`: `physical_grams` (grams counted on the
 * shelf; null clears) is required — 400 "physical_grams is required". While set it is the
 * package's effective grams (Apex units, wholesale availability, sale checks, and the status:
 * active/depleted follow effective grams); current grams stay as booked.
 */
export const physicalOverrideSchema = z.strictObject({
  physical_grams: z.number().min(0).max(10_000_000).transform(roundGrams).nullable().optional(),
  reason,
});
export type PhysicalOverrideInput = z.output<typeof physicalOverrideSchema>;

export async function setPhysicalOverride(ctx: ActorContext, metrc: string, input: PhysicalOverrideInput) {
  const physical = required(input.physical_grams, "physical_grams");
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    // Status follows the effective grams (move-grams.ts `settle`): a shelf count of 0 g depletes
    // the package, a count above 0 g makes a depleted one active again.
    const after = await settle(
      m,
      await m.tx.finishedGood.update({
        where: { metrc_number: before.metrc_number },
        data: { physical_grams_override: physical, updated_date: m.now },
      }),
    );
    const effective = after.physical_grams_override ?? after.current_grams;
    const reasonText = input.reason ?? null;
    await writeHistory(m, after, "override", {
      gramsChanged: physical === null ? null : roundGrams(physical - (before.physical_grams_override ?? before.current_grams)),
      reason: reasonText,
      details: { physical_grams_override: physical, previous_override: before.physical_grams_override, effective_grams: effective },
    });
    await m.audit({
      entity: "finished_good",
      entityId: after.metrc_number,
      label: after.strain,
      before,
      after: { physical_grams_override: physical, status: after.status },
    });
    await m.emit("finished_good.overridden", {
      metrc_number: after.metrc_number,
      strain: after.strain,
      physical_grams_override: physical,
      effective_grams: effective,
    });
    return {
      success: true as const,
      metrc_number: after.metrc_number,
      physical_grams_override: after.physical_grams_override,
      effective_grams: effective,
      current_grams: after.current_grams,
      has_physical_override: after.physical_grams_override !== null,
    };
  });
}
