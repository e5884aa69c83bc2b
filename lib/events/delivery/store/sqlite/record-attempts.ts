import type { AttemptResult, Outcome, PlanRecord, RecordedAttempts, SubscriberState } from "@/lib/events/delivery/store/types";
import { immediate, iso, prepared, whenNotBusy, type SqliteStore } from "@/lib/events/delivery/store/sqlite/connection";
import { attemptRow } from "@/lib/events/delivery/store/attempt-row";

/**
 * Record: the outcomes of any number of attempts in one IMMEDIATE transaction. It reads the
 * results' subscribers, lets the worker's plan decide (with that state, under the write lock),
 * then writes each plain result's delivery state and one DeliveryAttempt row per attempt, and the
 * subscribers' `failing_since`. A delivery is written only while it is still processing under
 * this worker; otherwise its lease was lost (another worker took it over after expiry) and the
 * attempt row is kept with a note, its outcome "lease_lost". Results that emit events are handed
 * back to the worker, which writes them through `mutate`.
 */

/** Many attempt rows in one statement, from a JSON array of `attemptRow`s. */
const INSERT_ATTEMPTS = `INSERT INTO delivery_attempts (delivery_id, attempt_number, "trigger", url, started_at, duration_ms, status_code, response_excerpt, error, next_attempt_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9 FROM json_each(?)`;

/** A failed or dead delivery's next state, if the lease is still ours; false when it was lost. */
function writeFailure(s: SqliteStore, r: AttemptResult, workerId: string, nowIso: string): boolean {
  return (
    prepared(
      s,
      `UPDATE deliveries SET status = ?, attempts = ?, locked_by = NULL, locked_until = NULL, last_error = ?, last_status_code = ?, completed_at = NULL,
         next_attempt_at = COALESCE(?, next_attempt_at), updated_at = ?
       WHERE id = ? AND status = 'processing' AND locked_by = ?`,
    ).run(
      r.status,
      r.attempt,
      r.result.error ?? "failed",
      r.result.statusCode ?? null,
      r.nextAttemptAt ? iso(r.nextAttemptAt) : null,
      nowIso,
      r.job.delivery.id,
      workerId,
    ).changes === 1
  );
}

/** Completed deliveries sharing a status code, in one statement; returns the ids still ours. */
function writeCompleted(s: SqliteStore, group: AttemptResult[], code: number | null, workerId: string, nowIso: string): Set<string> {
  return new Set(
    prepared(
      s,
      `UPDATE deliveries SET status = 'completed', attempts = attempts + 1, locked_by = NULL, locked_until = NULL, last_error = NULL, last_status_code = ?,
         completed_at = ?, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND +status = 'processing' AND +locked_by = ?
       RETURNING id`,
    )
      .pluck()
      .all(
        code,
        iso(group[group.length - 1].finishedAt),
        nowIso,
        JSON.stringify(group.map((r) => r.job.delivery.id)),
        workerId,
      ) as string[],
  );
}

/** The record, inside a transaction the caller holds (also used by record-and-claim.ts). */
export function recordIn(s: SqliteStore, results: AttemptResult[], workerId: string, plan: PlanRecord): RecordedAttempts {
  const ids = JSON.stringify([...new Set(results.map((r) => r.job.subscriber.id))]);
  const rows = prepared(s, "SELECT id, active, failing_since FROM subscribers WHERE id IN (SELECT value FROM json_each(?))").all(ids) as {
    id: string;
    active: number;
    failing_since: string | null;
  }[];
  const state = new Map<string, SubscriberState>(
    rows.map((r) => [
      r.id,
      { id: r.id, active: r.active === 1, failingSince: r.failing_since === null ? null : new Date(r.failing_since) },
    ]),
  );
  const { plain, deferred, failingSince } = plan(results, state);
  const nowIso = iso(new Date());
  // Successes: one statement per status code (all 200 on a good day). Failures: one each,
  // as each has its own next attempt time.
  const lost = new Set<AttemptResult>();
  const byCode = new Map<number | null, AttemptResult[]>();
  for (const r of plain) {
    if (r.status !== "completed") {
      if (!writeFailure(s, r, workerId, nowIso)) lost.add(r);
      continue;
    }
    const code = r.result.statusCode ?? null;
    const group = byCode.get(code);
    if (group) group.push(r);
    else byCode.set(code, [r]);
  }
  for (const [code, group] of byCode) {
    const done = writeCompleted(s, group, code, workerId, nowIso);
    for (const r of group) if (!done.has(r.job.delivery.id)) lost.add(r);
  }
  prepared(s, INSERT_ATTEMPTS).run(JSON.stringify(plain.map((r) => attemptRow(r, lost.has(r), iso))));
  const outcomes = new Map<AttemptResult, Outcome>();
  for (const r of plain) outcomes.set(r, lost.has(r) ? "lease_lost" : r.status);
  for (const [id, since] of failingSince) {
    prepared(s, "UPDATE subscribers SET failing_since = ?, updated_at = ? WHERE id = ?").run(since && iso(since), nowIso, id);
  }
  return { outcomes, deferred };
}

export async function recordAttempts(results: AttemptResult[], workerId: string, plan: PlanRecord): Promise<RecordedAttempts> {
  if (results.length === 0) return { outcomes: new Map(), deferred: [] };
  return whenNotBusy((s) => immediate(s, () => recordIn(s, results, workerId, plan)));
}
