import { db } from "@/lib/db/client";
import { APP_VERSION } from "@/lib/version";

const WORKER_STALE_MS = 60_000;

/** Liveness (this process answers) and readiness (the database answers; worker heartbeat age). */
export async function checkHealth() {
  const checks: Record<string, { ok: boolean; detail?: string; age_seconds?: number | null }> = {};
  try {
    await db.$queryRawUnsafe("SELECT 1");
    checks.database = { ok: true };
  } catch {
    checks.database = { ok: false, detail: "database unavailable" };
  }
  if (checks.database.ok) {
    const beat = await db.workerHeartbeat.findFirst({ orderBy: { beat_at: "desc" } }).catch(() => null);
    const age = beat ? Date.now() - beat.beat_at.getTime() : null;
    // The worker is optional for serving requests: reported, not fatal.
    checks.worker = { ok: age !== null && age < WORKER_STALE_MS, age_seconds: age === null ? null : Math.round(age / 1000) };
  }
  return { status: checks.database.ok ? "ok" : "unavailable", version: APP_VERSION, checks };
}
