import type { AttemptResult, ClaimOptions, ClaimedDelivery, PlanRecord, RecordedAttempts } from "@/lib/events/delivery/store/types";
import { transaction } from "@/lib/events/delivery/store/postgres/connection";
import { claimIn } from "@/lib/events/delivery/store/postgres/claim-due";
import { recordIn, recordSuccesses, successesOnly } from "@/lib/events/delivery/store/postgres/record-attempts";

/**
 * Record then claim in one transaction (one commit), as on SQLite; each half keeps the
 * guarantees of its own step (record-attempts.ts, claim-due.ts). The claim sees this
 * transaction's own record, so an ordered subscriber's next delivery can follow at once. A batch
 * of successes is recorded by one statement of its own first, then claimed (also after the record).
 */
export async function recordAndClaim(
  results: AttemptResult[],
  workerId: string,
  plan: PlanRecord,
  next: ClaimOptions,
): Promise<RecordedAttempts & { jobs: ClaimedDelivery[] }> {
  // A batch of successes is its own statement (record-attempts.ts): fewer round trips than one commit.
  if (successesOnly(results, plan)) {
    const recorded = await recordSuccesses(results, workerId);
    return { ...recorded, jobs: await transaction((c) => claimIn(c, next)) };
  }
  return transaction(async (c) => {
    const recorded: RecordedAttempts =
      results.length > 0 ? await recordIn(c, results, workerId, plan) : { outcomes: new Map(), deferred: [] };
    return { ...recorded, jobs: await claimIn(c, next) };
  });
}
