import type { Mutation } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";

/**
 * Every finished-goods operation writes one history row: change type, grams after, ordered /
 * packed / fulfilled at that moment, status, and details (delta, source, extra facts), with the
 * actor and reason. `change_type` uses the contract's words: created · deduct · add · update ·
 * archive · pack · override · import (+ order, sync, complete_order, apex_*, restore, orphan).
 */
export async function writeHistory(
  m: Mutation,
  after: FinishedGood,
  changeType: string,
  options: { gramsChanged?: number | null; reason?: string | null; details?: Record<string, unknown> } = {},
): Promise<void> {
  await m.tx.finishedGoodHistory.create({
    data: {
      metrc_number: after.metrc_number,
      timestamp: m.now,
      change_type: changeType,
      grams_changed: options.gramsChanged ?? null,
      current_grams: after.current_grams,
      grams_ordered: after.grams_ordered,
      grams_packed: after.grams_packed,
      grams_fulfilled: after.grams_fulfilled,
      status: after.status,
      details: { source: m.ctx.source, delta: options.gramsChanged ?? null, ...(options.details ?? {}) } as object,
      actor: m.ctx.actor,
      reason: options.reason ?? null,
    },
  });
}
