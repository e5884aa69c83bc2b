import { STAGE } from "@/lib/domain/batches/constants";
import { workingHoursBetween, type WorkSchedule } from "@/lib/domain/batches/rate/working-clock";

/**
 * Production sessions (EXISTING-SYSTEM §2): entering "In progress" starts a session, going back
 * to "Ground" pauses it, reaching "Finished" (or beyond) ends it. Total work hours are the sum of
 * sessions, so breaks marked by moving back to Ground are not counted.
 *
 * Both `total_work_hours` and `production_duration_hours` are measured on the same working clock
 * as the production rate (rate/working-clock.ts, the `work_schedule` setting): nights, weekends
 * and other non-work time count zero, so a batch started Friday 15:00 and finished Monday 10:00
 * with an 8–17 Mon–Fri schedule took 2 + 2 = 4 h, not 67 h.
 */

export interface ProductionSession {
  start: string;
  end: string | null;
}

export interface SessionState {
  production_sessions: ProductionSession[];
  current_session_start: Date | null;
  production_start_time: Date | null;
  production_end_time: Date | null;
  production_duration_hours: number | null;
  total_work_hours: number;
}

/** Working hours (per `schedule`) of the sessions; an open session counts up to `now`. */
export function sessionHours(sessions: ProductionSession[], now: Date, schedule: WorkSchedule): number {
  return sessions.reduce((sum, s) => {
    const end = s.end ? new Date(s.end) : now;
    return sum + workingHoursBetween(new Date(s.start), end, schedule);
  }, 0);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function transitionSessions(state: SessionState, from: number, to: number, now: Date, schedule: WorkSchedule): SessionState {
  const sessions = state.production_sessions.map((s) => ({ ...s }));
  const open = sessions.find((s) => s.end === null);
  const next: SessionState = { ...state, production_sessions: sessions };

  if (to === STAGE.IN_PROGRESS && from !== STAGE.IN_PROGRESS) {
    if (!open) sessions.push({ start: now.toISOString(), end: null });
    next.current_session_start = open ? state.current_session_start : now;
    next.production_start_time = state.production_start_time ?? now;
    next.production_end_time = null;
    next.production_duration_hours = null;
  } else if (from === STAGE.IN_PROGRESS && to !== STAGE.IN_PROGRESS) {
    if (open) open.end = now.toISOString();
    next.current_session_start = null;
    if (to >= STAGE.FINISHED) {
      next.production_end_time = now;
      const start = state.production_start_time ?? (sessions[0] ? new Date(sessions[0].start) : now);
      next.production_duration_hours = round(workingHoursBetween(start, now, schedule));
    }
  }
  next.total_work_hours = round(
    sessionHours(
      sessions.filter((s) => s.end !== null),
      now,
      schedule,
    ),
  );
  return next;
}

export function parseSessions(value: unknown): ProductionSession[] {
  if (!Array.isArray(value)) return [];
  return value.filter((s): s is ProductionSession => typeof s?.start === "string" && (s.end === null || typeof s.end === "string"));
}
