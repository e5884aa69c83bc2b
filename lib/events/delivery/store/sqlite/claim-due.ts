import { config } from "@/lib/config/env";
import { DEFAULT_BATCH, MANUAL_MARK, type Claim, type ClaimOptions, type ClaimedDelivery } from "@/lib/events/delivery/store/types";
import { immediate, iso, prepared, whenNotBusy, type SqliteStore } from "@/lib/events/delivery/store/sqlite/connection";
import { loadIn } from "@/lib/events/delivery/store/sqlite/load-claims";

/**
 * Claim: picks due deliveries, leases them to one worker and loads them, in one IMMEDIATE
 * transaction. Candidates are read and rows won under the same write lock, and the UPDATE still
 * repeats every condition of being due, so two workers never both win a row.
 *
 * Who may be claimed: a pending or failed delivery whose `next_attempt_at` has come, or a
 * processing one whose lease (`locked_until`) has expired (its worker crashed: at-least-once),
 * of an active subscriber. An `ordered` subscriber offers only its earliest unfinished delivery,
 * and only when that one is due, so its deliveries go out one at a time in event order.
 *
 * The lease runs `leaseMs` from this host's clock (see types.ts).
 */

interface Candidate {
  id: string;
  status: string;
  locked_by: string | null;
  locked_until: string | null;
  next_attempt_at: string;
  event_id: number;
}

/*
 * A `+` before a column in a condition keeps SQLite from using that column's index (the schema
 * has no ANALYZE statistics): statements on a list of ids must walk the primary key, not every
 * pending row of the status index.
 */
const CANDIDATE = "d.id, d.status, d.locked_by, d.locked_until, d.next_attempt_at, d.event_id";
const UNORDERED = "d.subscriber_id IN (SELECT id FROM subscribers WHERE active = 1 AND ordered = 0)";

function isDue(c: Candidate, nowIso: string): boolean {
  if (c.status === "processing") return c.locked_until !== null && c.locked_until < nowIso;
  return (c.status === "pending" || c.status === "failed") && c.next_attempt_at <= nowIso;
}

function findCandidates(s: SqliteStore, nowIso: string, limit: number, retries: boolean): Candidate[] {
  const candidates: Candidate[] = [];
  const subscribers = prepared(s, "SELECT id, ordered FROM subscribers WHERE active = 1").all() as { id: string; ordered: number }[];
  for (const sub of subscribers) {
    if (sub.ordered) {
      // Only the earliest unfinished delivery, when it is due. One index probe per status.
      let head: number | null = null;
      for (const status of ["pending", "failed", "processing"]) {
        const first = prepared(s, "SELECT event_id FROM deliveries WHERE subscriber_id = ? AND status = ? ORDER BY event_id LIMIT 1")
          .pluck()
          .get(sub.id, status) as number | undefined;
        if (first !== undefined && (head === null || first < head)) head = first;
      }
      if (head === null) continue;
      const row = prepared(s, `SELECT ${CANDIDATE} FROM deliveries d WHERE d.event_id = ? AND d.subscriber_id = ?`).get(
        head,
        sub.id,
      ) as Candidate;
      if (isDue(row, nowIso)) candidates.push(row);
    } else {
      // Per subscriber on (subscriber_id, status, event_id): a paused subscriber's backlog is never walked.
      // (`+`: on that index, not sorting every pending row found through the status one.)
      const pending = prepared(
        s,
        `SELECT ${CANDIDATE} FROM deliveries d WHERE d.subscriber_id = ? AND d.status = 'pending' AND +d.next_attempt_at <= ? ORDER BY d.event_id LIMIT ?`,
      );
      candidates.push(...(pending.all(sub.id, nowIso, limit) as Candidate[]));
    }
  }
  if (retries) {
    candidates.push(
      ...(prepared(
        s,
        `SELECT ${CANDIDATE} FROM deliveries d WHERE d.status = 'failed' AND d.next_attempt_at <= ? AND ${UNORDERED} ORDER BY d.next_attempt_at LIMIT ?`,
      ).all(nowIso, limit) as Candidate[]),
      // Only leased rows have a `locked_until`: walk that index, not every processing row.
      ...(prepared(
        s,
        `SELECT ${CANDIDATE} FROM deliveries d WHERE d.locked_until < ? AND +d.status = 'processing' AND +${UNORDERED} ORDER BY d.locked_until LIMIT ?`,
      ).all(nowIso, limit) as Candidate[]),
    );
  }
  // Expired leases first (their deliveries have waited longest), then by due time.
  const dueAt = (c: Candidate) => (c.status === "processing" ? c.locked_until! : c.next_attempt_at);
  candidates.sort((a, b) => (dueAt(a) < dueAt(b) ? -1 : dueAt(a) > dueAt(b) ? 1 : a.event_id - b.event_id));
  return candidates.slice(0, limit);
}

/** The claim, inside a transaction the caller holds (also used by record-and-claim.ts). */
export function claimIn(s: SqliteStore, options: ClaimOptions): ClaimedDelivery[] {
  const limit = options.limit ?? DEFAULT_BATCH;
  if (limit <= 0) return [];
  const now = options.now ?? new Date();
  const nowIso = iso(now);
  const lockedUntil = new Date(now.getTime() + (options.leaseMs ?? config().DELIVERY_LEASE_MS));
  const candidates = findCandidates(s, nowIso, limit, options.retries ?? true);
  if (candidates.length === 0) return [];
  const won = new Set(
    prepared(
      s,
      `UPDATE deliveries SET status = 'processing', locked_by = ?, locked_until = ?, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?))
         AND ((+status = 'processing' AND +locked_until < ?) OR (+status IN ('pending', 'failed') AND +next_attempt_at <= ?))
       RETURNING id`,
    )
      .pluck()
      .all(options.workerId, iso(lockedUntil), nowIso, JSON.stringify(candidates.map((c) => c.id)), nowIso, nowIso) as string[],
  );
  const claims: Claim[] = candidates
    .filter((c) => won.has(c.id))
    .map((c) => ({
      id: c.id,
      trigger: c.status === "pending" && c.locked_by === MANUAL_MARK ? "manual" : "scheduled",
      lockedUntil,
      previous: { status: c.status, lockedBy: c.locked_by },
    }));
  return loadIn(s, claims, options.workerId).jobs;
}

export async function claimDue(options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const limit = options.limit ?? DEFAULT_BATCH;
  if (limit <= 0) return [];
  return whenNotBusy((s) => {
    // Nothing due (an idle worker's usual answer) is found without taking the write lock.
    if (findCandidates(s, iso(options.now ?? new Date()), 1, options.retries ?? true).length === 0) return [];
    return immediate(s, () => claimIn(s, options));
  });
}
