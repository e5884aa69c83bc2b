import { db } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { metrcKey } from "@/lib/domain/finished-goods/load-finished-good";
import type { PackageHistoryResponse } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * `GET /api/finished-goods/{metrc}/history`: the package's timeline, newest first:
 * `{metrc_number, strain, history:[{timestamp, change_type, grams_changed, current_grams, reason}],
 * total_changes}` (+ actor, source — manual vs API — status and details). A permanently deleted
 * package keeps its history: it is still answered, with the strain its `delete` row recorded.
 */
export async function packageHistory(metrc: string): Promise<PackageHistoryResponse> {
  const metrcNumber = metrcKey(metrc);
  const [fg, rows] = await Promise.all([
    db.finishedGood.findUnique({ where: { metrc_number: metrcNumber }, select: { strain: true } }),
    db.finishedGoodHistory.findMany({ where: { metrc_number: metrcNumber }, orderBy: { id: "desc" } }),
  ]);
  if (!fg && rows.length === 0) throw notFound("Package not found", "package_not_found");
  const details = (d: unknown) => (d && typeof d === "object" && !Array.isArray(d) ? (d as Record<string, unknown>) : {});
  const recordedStrain = rows.map((r) => details(r.details).strain).find((s): s is string => typeof s === "string");
  const history = rows.map((r) => ({
    timestamp: r.timestamp.toISOString(),
    change_type: r.change_type,
    grams_changed: r.grams_changed,
    current_grams: r.current_grams,
    reason: r.reason,
    grams_ordered: r.grams_ordered,
    grams_packed: r.grams_packed,
    grams_fulfilled: r.grams_fulfilled,
    status: r.status,
    actor: r.actor,
    source: (typeof details(r.details).source === "string" ? details(r.details).source : null) as string | null,
    details: details(r.details),
  }));
  return { metrc_number: metrcNumber, strain: fg?.strain ?? recordedStrain ?? null, history, total_changes: history.length };
}
