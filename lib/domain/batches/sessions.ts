import { STAGE } from "@/lib/domain/batches/constants";

/**
 * Production sessions (EXISTING-SYSTEM §2): entering "In progress" starts a session, going back
 * to "Ground" pauses it, reaching "Finished" (or beyond) ends it. Total work hours are the sum of
 * sessions, so breaks marked by moving back to Ground are not counted.
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

const HOUR_MS = 3_600_000;

export function sessionHours(sessions: ProductionSession[], now: Date): number {
  return sessions.reduce((sum, s) => {
    const end = s.end ? Date.parse(s.end) : now.getTime();
    return sum + Math.max(0, end - Date.parse(s.start)) / HOUR_MS;
  }, 0);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function transitionSessions(state: SessionState, from: number, to: number, now: Date): SessionState {
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
      next.production_duration_hours = round((now.getTime() - start.getTime()) / HOUR_MS);
    }
  }
  next.total_work_hours = round(
    sessionHours(
      sessions.filter((s) => s.end !== null),
      now,
    ),
  );
  return next;
}

export function parseSessions(value: unknown): ProductionSession[] {
  if (!Array.isArray(value)) return [];
  return value.filter((s): s is ProductionSession => typeof s?.start === "string" && (s.end === null || typeof s.end === "string"));
}
