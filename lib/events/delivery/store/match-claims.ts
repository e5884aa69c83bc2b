import type { Claim, ClaimedDelivery, LoadedClaims } from "@/lib/events/delivery/store/types";
import type { Event, Subscriber } from "@/lib/generated/prisma/client";

/**
 * The engine-neutral half of loadClaims: each claim becomes a job when its delivery row (joined
 * with its event as `e_*` columns) is still this worker's and processing, and its subscriber
 * exists; otherwise it is skipped (the lease was lost, the delivery cancelled, the subscriber
 * deleted). Rows come from either store, already converted by its own `toEvent`.
 */
export function matchClaims(
  claims: Claim[],
  found: Record<string, unknown>[],
  subscribers: Map<string, Subscriber>,
  workerId: string,
  toEvent: (row: Record<string, unknown>, prefix: string) => Event,
): LoadedClaims {
  const byId = new Map(found.map((r) => [r.id as string, r]));
  const jobs: ClaimedDelivery[] = [];
  const skipped: Claim[] = [];
  for (const claim of claims) {
    const row = byId.get(claim.id);
    const subscriber = row && subscribers.get(row.subscriber_id as string);
    if (!row || !subscriber || row.locked_by !== workerId || row.status !== "processing") {
      skipped.push(claim);
      continue;
    }
    const delivery = {
      id: row.id as string,
      event_id: row.event_id as number,
      subscriber_id: row.subscriber_id as string,
      attempts: row.attempts as number,
    };
    jobs.push({ claim, delivery, event: toEvent(row, "e_"), subscriber });
  }
  return { jobs, skipped };
}
