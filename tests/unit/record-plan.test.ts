import { describe, expect, it } from "vitest";
import { planRecord } from "@/lib/events/delivery/worker";
import type { AttemptResult, SubscriberState } from "@/lib/events/delivery/store/types";

/**
 * The promise `planRecord` makes to the stores (`successesEndStreaks`, store/types.ts): a batch
 * whose attempts all succeeded is written plainly whatever the subscribers' state, and ends their
 * failing streaks. The PostgreSQL store relies on it to write such a batch without reading that
 * state first (postgres/record-attempts.ts).
 */

const T0 = new Date("2026-12-08T00:00:00.000Z");

function attempt(subscriberId: string, ok: boolean, finishedMs: number): AttemptResult {
  const finishedAt = new Date(T0.getTime() + finishedMs);
  return {
    job: {
      claim: { id: `d-${subscriberId}-${finishedMs}`, trigger: "scheduled", lockedUntil: finishedAt },
      delivery: { id: `d-${subscriberId}-${finishedMs}`, event_id: 1, subscriber_id: subscriberId, attempts: 0 },
      event: { id: 1, type: "t.x", payload: {}, actor: "a", trace_id: "t", source: "s", created_at: T0 },
      subscriber: { id: subscriberId, max_attempts: 8 } as AttemptResult["job"]["subscriber"],
    },
    result: ok ? { ok: true, statusCode: 200 } : { ok: false, statusCode: 500, error: "HTTP 500" },
    attempt: 1,
    startedAt: finishedAt,
    finishedAt,
    durationMs: 0,
    status: ok ? "completed" : "failed",
    nextAttemptAt: ok ? null : new Date(finishedAt.getTime() + 60_000),
  };
}

const states = (...list: SubscriberState[]) => new Map(list.map((s) => [s.id, s]));

describe("planRecord: a batch of successes", () => {
  it("is written plainly whatever the state, and ends the failing streaks it touches", () => {
    expect(planRecord.successesEndStreaks).toBe(true);
    const longAgo = new Date(T0.getTime() - 10 * 24 * 3_600_000); // failing for longer than the 5-day limit
    const results = [attempt("failing", true, 10), attempt("paused", true, 20), attempt("fine", true, 30)];
    const plan = planRecord(
      results,
      states(
        { id: "failing", active: true, failingSince: longAgo },
        { id: "paused", active: false, failingSince: T0 },
        { id: "fine", active: true, failingSince: null },
      ),
    );
    expect(plan.plain).toEqual(results);
    expect(plan.deferred).toEqual([]);
    expect(plan.failingSince).toEqual(
      new Map([
        ["failing", null],
        ["paused", null],
      ]),
    );
  });

  it("a failure in the batch depends on the state (the store then reads it first)", () => {
    const results = [attempt("failing", false, 10)];
    const longAgo = new Date(T0.getTime() - 10 * 24 * 3_600_000);
    const fresh = planRecord(results, states({ id: "failing", active: true, failingSince: null }));
    const stale = planRecord(results, states({ id: "failing", active: true, failingSince: longAgo }));
    expect(fresh.deferred).toEqual([]);
    expect(stale.deferred).toEqual([{ result: results[0], disableReason: "Failing for 5 days without a successful delivery" }]);
  });
});
