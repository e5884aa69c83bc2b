import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { looseBool, optionalReason, requiredError } from "@/lib/domain/finished-goods/apex-fields";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/**
 * `POST …/{metrc}/apex-auto` `{enabled}`: Apex auto inventory on/off (the card's "Apex ON/OFF").
 * 400 "enabled is required". Answers `apex_auto_inventory` as the boolean sent (the package
 * listing keeps the legacy 0/1).
 */
export const apexAutoSchema = z.object({ enabled: looseBool.optional(), reason: optionalReason });
export type ApexAutoInput = z.output<typeof apexAutoSchema>;

export async function setApexAuto(ctx: ActorContext, metrc: string, input: ApexAutoInput) {
  if (input.enabled === undefined) throw requiredError("enabled is required", ["enabled"]);
  const enabled = input.enabled;
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const after = await m.tx.finishedGood.update({
      where: { metrc_number: before.metrc_number },
      data: { apex_auto_inventory: enabled, updated_date: m.now },
    });
    await writeHistory(m, after, "apex_auto", {
      reason: input.reason ?? null,
      details: { apex_auto_inventory: enabled, previous: before.apex_auto_inventory },
    });
    await m.audit({
      entity: "finished_good",
      entityId: after.metrc_number,
      label: after.strain,
      before: { apex_auto_inventory: before.apex_auto_inventory },
      after: { apex_auto_inventory: enabled },
    });
    await m.emit("finished_good.apex_updated", {
      metrc_number: after.metrc_number,
      strain: after.strain,
      changed: ["apex_auto_inventory"],
    });
    return { success: true as const, metrc_number: after.metrc_number, apex_auto_inventory: enabled };
  });
}
