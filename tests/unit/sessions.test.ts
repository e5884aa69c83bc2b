import { describe, expect, it } from "vitest";
import { transitionSessions, type SessionState } from "@/lib/domain/batches/sessions";

const empty: SessionState = {
  production_sessions: [],
  current_session_start: null,
  production_start_time: null,
  production_end_time: null,
  production_duration_hours: null,
  total_work_hours: 0,
};
const at = (h: number) => new Date(Date.UTC(2026, 10, 24, h));

describe("production sessions", () => {
  it("starts at In progress, pauses at Ground, ends at Finished; breaks are not work hours", () => {
    let s = transitionSessions(empty, 1, 2, at(8)); // start
    expect(s.current_session_start).toEqual(at(8));
    expect(s.production_start_time).toEqual(at(8));
    s = transitionSessions(s, 2, 1, at(10)); // lunch: back to Ground
    expect(s.current_session_start).toBeNull();
    expect(s.total_work_hours).toBe(2);
    s = transitionSessions(s, 1, 2, at(11));
    s = transitionSessions(s, 2, 3, at(14)); // finished
    expect(s.production_sessions).toHaveLength(2);
    expect(s.total_work_hours).toBe(5);
    expect(s.production_end_time).toEqual(at(14));
    expect(s.production_duration_hours).toBe(6); // wall clock from first start
  });

  it("reopening a finished batch starts a new session and clears the end time", () => {
    let s = transitionSessions(empty, 1, 2, at(8));
    s = transitionSessions(s, 2, 3, at(9));
    s = transitionSessions(s, 3, 2, at(12));
    expect(s.production_end_time).toBeNull();
    expect(s.production_sessions.filter((x) => x.end === null)).toHaveLength(1);
    expect(s.total_work_hours).toBe(1);
  });

  it("moves that do not touch In progress leave sessions alone", () => {
    const s = transitionSessions(empty, 4, 5, at(8));
    expect(s).toEqual(empty);
  });
});
