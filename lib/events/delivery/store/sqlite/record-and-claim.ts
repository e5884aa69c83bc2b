import type { AttemptResult, ClaimOptions, ClaimedDelivery, PlanRecord, RecordedAttempts } from "@/lib/events/delivery/store/types";
import { immediate, whenNotBusy } from "@/lib/events/delivery/store/sqlite/connection";
import { claimIn } from "@/lib/events/delivery/store/sqlite/claim-due";
import { recordIn } from "@/lib/events/delivery/store/sqlite/record-attempts";

/**
 * Record then claim, in one IMMEDIATE transaction: the loop's steady state, where the slots the
 * recorded attempts free are refilled at once. One commit instead of two (fewer pages written);
 * each half keeps the guarantees of its own step (record-attempts.ts, claim-due.ts).
 */
export async function recordAndClaim(
  results: AttemptResult[],
  workerId: string,
  plan: PlanRecord,
  next: ClaimOptions,
): Promise<RecordedAttempts & { jobs: ClaimedDelivery[] }> {
  return whenNotBusy((s) =>
    immediate(s, () => {
      const recorded: RecordedAttempts = results.length > 0 ? recordIn(s, results, workerId, plan) : { outcomes: new Map(), deferred: [] };
      return { ...recorded, jobs: claimIn(s, next) };
    }),
  );
}
