import type pg from "pg";
import type { AttemptResult, Outcome, PlanRecord, RecordedAttempts, SubscriberState } from "@/lib/events/delivery/store/types";
import { NOW, iso, rows, statement, transaction, prepared } from "@/lib/events/delivery/store/postgres/connection";
import { LEASE_LOST_NOTE, attemptRow } from "@/lib/events/delivery/store/attempt-row";

/**
 * Record on PostgreSQL: as on SQLite (record-attempts.ts there), the results' subscribers are
 * read, the worker's plan decides, then each plain result's delivery state, one DeliveryAttempt
 * row per attempt and the subscribers' `failing_since` are written, in one transaction; a
 * delivery no longer processing under this worker is "lease_lost" and its attempt row keeps a
 * note. Each write is one statement over arrays (unnest), whatever the number of results.
 *
 * SQLite's single writer made the subscribers' state current for the plan; here their rows are
 * locked (`FOR NO KEY UPDATE`, in id order, which the relay's inserts of deliveries do not wait
 * on) so two workers recording for one subscriber take turns and `failing_since` is not
 * overwritten from a stale read.
 */

const TS = (v: string) => `(${v}::timestamptz AT TIME ZONE 'UTC')`;

/** Every plain result's delivery in one statement; returns the ids that were still ours. */
const WRITE_DELIVERIES = `UPDATE deliveries d SET status = v.status,
    attempts = CASE WHEN v.status = 'completed' THEN d.attempts + 1 ELSE v.attempt END,
    locked_by = NULL, locked_until = NULL, last_error = v.error, last_status_code = v.code,
    completed_at = ${TS("v.completed_at")}, next_attempt_at = COALESCE(${TS("v.next")}, d.next_attempt_at), updated_at = ${NOW}
  FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[]) AS v(id, status, attempt, error, code, completed_at, next)
  WHERE d.id = v.id AND d.status = 'processing' AND d.locked_by = $1
  RETURNING d.id`;

const INSERT_ATTEMPTS = `INSERT INTO delivery_attempts (delivery_id, attempt_number, "trigger", url, started_at, duration_ms, status_code, response_excerpt, error, next_attempt_at)
  SELECT v.delivery_id, v.attempt, v.trigger, v.url, ${TS("v.started_at")}, v.duration_ms, v.code, v.excerpt, v.error, ${TS("v.next")}
  FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[])
    WITH ORDINALITY AS v(delivery_id, attempt, trigger, url, started_at, duration_ms, code, excerpt, error, next, n)
  ORDER BY v.n`;

const WRITE_FAILING_SINCE = `UPDATE subscribers s SET failing_since = ${TS("v.since")}, updated_at = ${NOW}
  FROM unnest($1::text[], $2::text[]) AS v(id, since) WHERE s.id = v.id`;

/**
 * A batch whose attempts all succeeded, when the plan promises what it makes of one
 * (`successesEndStreaks`, types.ts): every delivery still ours completed, one attempt row each
 * (a lost lease keeps its note), and the subscribers' failing streaks ended — one statement, so
 * the busy path costs one round trip. The subscribers are not read first: nothing here depends
 * on their state, and a streak another worker records meanwhile is ordered by the row lock.
 * $1 worker, $2–$10 the results, $11 the lease-lost note, $12 the subscribers.
 */
const WRITE_SUCCESSES = prepared(
  "write_successes",
  `WITH v AS (
    SELECT * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::text[])
      WITH ORDINALITY AS v(id, attempt, trigger, url, started_at, duration_ms, code, excerpt, completed_at, n)),
  ours AS (
    UPDATE deliveries d SET status = 'completed', attempts = d.attempts + 1, locked_by = NULL, locked_until = NULL, last_error = NULL,
      last_status_code = v.code, completed_at = ${TS("v.completed_at")}, updated_at = ${NOW}
    FROM v WHERE d.id = v.id AND d.status = 'processing' AND d.locked_by = $1
    RETURNING d.id),
  logged AS (
    INSERT INTO delivery_attempts (delivery_id, attempt_number, "trigger", url, started_at, duration_ms, status_code, response_excerpt, error, next_attempt_at)
    SELECT v.id, v.attempt, v.trigger, v.url, ${TS("v.started_at")}, v.duration_ms, v.code, v.excerpt, CASE WHEN ours.id IS NULL THEN $11 END, NULL
    FROM v LEFT JOIN ours ON ours.id = v.id ORDER BY v.n),
  streaks AS (
    UPDATE subscribers s SET failing_since = NULL, updated_at = ${NOW} WHERE s.id = ANY($12::text[]) AND s.failing_since IS NOT NULL)
  SELECT id FROM ours`,
);

/** Whether `recordSuccesses` may write this batch. */
export function successesOnly(results: AttemptResult[], plan: PlanRecord): boolean {
  return plan.successesEndStreaks === true && results.length > 0 && results.every((r) => r.result.ok && r.status === "completed");
}

/** The batch of successes (`successesOnly`), as a statement of its own. */
export async function recordSuccesses(results: AttemptResult[], workerId: string): Promise<RecordedAttempts> {
  const completedAt = completedAtOf(results);
  const params = [
    workerId,
    ...columns(results.map((r) => [...attemptRow(r, false, (d) => d.toISOString()).slice(0, 8), iso(completedAt(r))])),
    LEASE_LOST_NOTE,
    [...new Set(results.map((r) => r.job.subscriber.id))],
  ];
  const ours = new Set((await statement<{ id: string }>(WRITE_SUCCESSES, params)).map((r) => r.id));
  const outcomes = new Map<AttemptResult, Outcome>();
  for (const r of results) outcomes.set(r, ours.has(r.job.delivery.id) ? "completed" : "lease_lost");
  return { outcomes, deferred: [] };
}

/**
 * A completed delivery's `completed_at`: the last finish among the batch's completed attempts with
 * its status code, as on SQLite.
 */
function completedAtOf(results: AttemptResult[]): (r: AttemptResult) => Date | undefined {
  const groupEnd = new Map<number | null, Date>();
  for (const r of results) if (r.status === "completed") groupEnd.set(r.result.statusCode ?? null, r.finishedAt);
  return (r) => groupEnd.get(r.result.statusCode ?? null);
}

/** Columns of arrays from rows (unnest takes one array per column). */
function columns(table: unknown[][]): unknown[][] {
  const width = table[0]?.length ?? 0;
  return Array.from({ length: width }, (_, i) => table.map((row) => row[i]));
}

/** The record, inside a transaction the caller holds (also used by record-and-claim.ts). */
export async function recordIn(c: pg.PoolClient, results: AttemptResult[], workerId: string, plan: PlanRecord): Promise<RecordedAttempts> {
  const ids = [...new Set(results.map((r) => r.job.subscriber.id))];
  const found = await rows<{ id: string; active: boolean; failing_since: Date | null }>(
    c,
    "SELECT id, active, failing_since FROM subscribers WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE",
    [ids],
  );
  const state = new Map<string, SubscriberState>(found.map((r) => [r.id, { id: r.id, active: r.active, failingSince: r.failing_since }]));
  const { plain, deferred, failingSince } = plan(results, state);

  const completedAt = completedAtOf(plain);
  const lost = new Set<AttemptResult>();
  if (plain.length > 0) {
    const ours = new Set(
      (
        await rows<{ id: string }>(c, WRITE_DELIVERIES, [
          workerId,
          ...columns(
            plain.map((r) => {
              const done = r.status === "completed";
              return [
                r.job.delivery.id,
                r.status,
                r.attempt,
                done ? null : (r.result.error ?? "failed"),
                r.result.statusCode ?? null,
                done ? iso(completedAt(r)) : null,
                done ? null : iso(r.nextAttemptAt),
              ];
            }),
          ),
        ])
      ).map((r) => r.id),
    );
    for (const r of plain) if (!ours.has(r.job.delivery.id)) lost.add(r);
    await c.query(INSERT_ATTEMPTS, columns(plain.map((r) => attemptRow(r, lost.has(r), (d) => d.toISOString()))));
  }
  const outcomes = new Map<AttemptResult, Outcome>();
  for (const r of plain) outcomes.set(r, lost.has(r) ? "lease_lost" : r.status);
  if (failingSince.size > 0) {
    const entries = [...failingSince];
    await c.query(WRITE_FAILING_SINCE, [entries.map(([id]) => id), entries.map(([, since]) => iso(since))]);
  }
  return { outcomes, deferred };
}

export async function recordAttempts(results: AttemptResult[], workerId: string, plan: PlanRecord): Promise<RecordedAttempts> {
  if (results.length === 0) return { outcomes: new Map(), deferred: [] };
  if (successesOnly(results, plan)) return recordSuccesses(results, workerId);
  return transaction((c) => recordIn(c, results, workerId, plan));
}
