import { describe, expect, it } from "vitest";
import { transitionSessions, type SessionState } from "@/lib/domain/batches/sessions";
import type { WorkSchedule } from "@/lib/domain/batches/rate/working-clock";

const empty: SessionState = {
  production_sessions: [],
  current_session_start: null,
  production_start_time: null,
  production_end_time: null,
  production_duration_hours: null,
  total_work_hours: 0,
};
/** Local time (the working clock reads the server's zone); 2026-11-24 is a Tuesday. */
const at = (h: number, day = 24) => new Date(2026, 10, day, h);
const schedule: WorkSchedule = { start_hour: 8, end_hour: 17, work_days: [0, 1, 2, 3, 4] };
const allDay: WorkSchedule = { start_hour: 0, end_hour: 24, work_days: [0, 1, 2, 3, 4, 5, 6] };

describe("production sessions", () => {
  it("starts at In progress, pauses at Ground, ends at Finished; breaks are not work hours", () => {
    let s = transitionSessions(empty, 1, 2, at(8), schedule); // start
    expect(s.current_session_start).toEqual(at(8));
    expect(s.production_start_time).toEqual(at(8));
    s = transitionSessions(s, 2, 1, at(10), schedule); // lunch: back to Ground
    expect(s.current_session_start).toBeNull();
    expect(s.total_work_hours).toBe(2);
    s = transitionSessions(s, 1, 2, at(11), schedule);
    s = transitionSessions(s, 2, 3, at(14), schedule); // finished
    expect(s.production_sessions).toHaveLength(2);
    expect(s.total_work_hours).toBe(5);
    expect(s.production_end_time).toEqual(at(14));
    expect(s.production_duration_hours).toBe(6); // working time from first start (the break included)
  });

  it("counts only working time: Friday 15:00 → Monday 10:00 on an 8–17 Mon–Fri schedule is 2 + 2 = 4 h, not 67 h", () => {
    const friday = new Date(2026, 10, 27, 15);
    const monday = new Date(2026, 10, 30, 10);
    let s = transitionSessions(empty, 1, 2, friday, schedule);
    s = transitionSessions(s, 2, 3, monday, schedule);
    expect(s.total_work_hours).toBe(4);
    expect(s.production_duration_hours).toBe(4);
  });

  it("follows the schedule: a round-the-clock schedule counts the wall clock", () => {
    let s = transitionSessions(empty, 1, 2, new Date(2026, 10, 27, 15), allDay);
    s = transitionSessions(s, 2, 3, new Date(2026, 10, 30, 10), allDay);
    expect(s.total_work_hours).toBe(67);
    expect(s.production_duration_hours).toBe(67);
  });

  it("reopening a finished batch starts a new session and clears the end time", () => {
    let s = transitionSessions(empty, 1, 2, at(8), schedule);
    s = transitionSessions(s, 2, 3, at(9), schedule);
    s = transitionSessions(s, 3, 2, at(12), schedule);
    expect(s.production_end_time).toBeNull();
    expect(s.production_sessions.filter((x) => x.end === null)).toHaveLength(1);
    expect(s.total_work_hours).toBe(1);
  });

  it("moves that do not touch In progress leave sessions alone", () => {
    const s = transitionSessions(empty, 4, 5, at(8), schedule);
    expect(s).toEqual(empty);
  });
});
