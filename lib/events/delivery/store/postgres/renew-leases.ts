import { NOW, pgStore } from "@/lib/events/delivery/store/postgres/connection";

/**
 * Renew: extends the leases a worker still holds (still processing under it; a lease taken over
 * stays lost). The new deadline is on the database clock, like the claim's: `lockedUntil` (the
 * caller's clock) only says how long from now, so hosts whose clocks disagree still agree on
 * when a lease expires. One statement.
 */
export async function renewLeases(ids: string[], workerId: string, lockedUntil: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const leaseMs = Math.max(0, lockedUntil.getTime() - Date.now());
  const result = await pgStore().pool.query(
    `UPDATE deliveries SET locked_until = ${NOW} + $3::double precision * interval '1 millisecond', updated_at = ${NOW}
     WHERE id = ANY($1::text[]) AND status = 'processing' AND locked_by = $2`,
    [ids, workerId, leaseMs],
  );
  return result.rowCount ?? 0;
}
