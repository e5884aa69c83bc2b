import { MANUAL_MARK, type Claim } from "@/lib/events/delivery/store/types";
import { NOW, pgStore } from "@/lib/events/delivery/store/postgres/connection";

/**
 * Release: claims the worker never attempted go back the way they were, as on SQLite
 * (release-claims.ts there): only rows still leased to that worker; a taken-over expired lease
 * goes back as failed (due again); a manual retry keeps its mark. One statement.
 */
export async function releaseClaims(claims: Claim[], workerId: string): Promise<number> {
  if (claims.length === 0) return 0;
  const back = claims.map((c) => {
    const previous = c.previous ?? { status: "pending", lockedBy: null };
    return {
      id: c.id,
      status: previous.status === "processing" ? "failed" : previous.status,
      lockedBy: previous.lockedBy === MANUAL_MARK ? MANUAL_MARK : null,
    };
  });
  const result = await pgStore().pool.query(
    `UPDATE deliveries d SET status = v.status, locked_by = v.locked_by, locked_until = NULL, updated_at = ${NOW}
     FROM unnest($2::text[], $3::text[], $4::text[]) AS v(id, status, locked_by)
     WHERE d.id = v.id AND d.status = 'processing' AND d.locked_by = $1`,
    [workerId, back.map((b) => b.id), back.map((b) => b.status), back.map((b) => b.lockedBy)],
  );
  return result.rowCount ?? 0;
}
