import { iso, prepared, whenNotBusy } from "@/lib/events/delivery/store/sqlite/connection";

/**
 * Renew: pushes the lease of deliveries a worker is still attempting to `lockedUntil` (the
 * caller's clock, see types.ts), only where the row is still processing under that worker; a
 * lease already taken over by another worker stays lost. One statement, no transaction needed.
 */
export async function renewLeases(ids: string[], workerId: string, lockedUntil: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return whenNotBusy(
    (s) =>
      prepared(
        s,
        "UPDATE deliveries SET locked_until = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND +status = 'processing' AND +locked_by = ?",
      ).run(iso(lockedUntil), iso(new Date()), JSON.stringify(ids), workerId).changes,
  );
}
