import { MANUAL_MARK, type Claim } from "@/lib/events/delivery/store/types";
import { immediate, iso, prepared, whenNotBusy } from "@/lib/events/delivery/store/sqlite/connection";

/**
 * Release: claims the worker never attempted go back the way they were, for another worker to
 * take at once (not after the lease). Only rows still leased to that worker are touched. A claim
 * that had taken over an expired lease goes back as failed (due again); a manual retry keeps its
 * mark, so its attempt is still recorded as manual.
 */
export async function releaseClaims(claims: Claim[], workerId: string): Promise<number> {
  if (claims.length === 0) return 0;
  return whenNotBusy((s) =>
    immediate(s, () => {
      let released = 0;
      const put = prepared(
        s,
        "UPDATE deliveries SET status = ?, locked_by = ?, locked_until = NULL, updated_at = ? WHERE id = ? AND status = 'processing' AND locked_by = ?",
      );
      for (const c of claims) {
        const previous = c.previous ?? { status: "pending", lockedBy: null };
        const status = previous.status === "processing" ? "failed" : previous.status;
        released += put.run(status, previous.lockedBy === MANUAL_MARK ? MANUAL_MARK : null, iso(new Date()), c.id, workerId).changes;
      }
      return released;
    }),
  );
}
