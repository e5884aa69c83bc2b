import { db, type Db } from "@/lib/db/client";
import { RELAY_CURSOR } from "@/lib/events/relay";
import { eventBusStatus } from "@/lib/events/start";

/** A worker whose last heartbeat is older than this is shown as not alive. */
const ALIVE_SECONDS = 60;

/**
 * The Event system page's "service status": worker heartbeats, relay lag, throughput, failures,
 * the job schedule, and this web process's bus wiring (Redis fan-out state).
 */
export async function eventSystemStatus(client: Db = db, now: Date = new Date()) {
  const beats = await client.workerHeartbeat.findMany({ orderBy: { beat_at: "desc" } });
  const beat = beats[0] ?? null;
  const ageSeconds = (at: Date) => Math.round((now.getTime() - at.getTime()) / 100) / 10;
  const cursor = await client.cursor.findUnique({ where: { name: RELAY_CURSOR } });
  const position = cursor?.position ?? 0;
  const lagEvents = await client.event.count({ where: { id: { gt: position } } });
  const oldest = lagEvents > 0 ? await client.event.findFirst({ where: { id: { gt: position } }, orderBy: { id: "asc" } }) : null;
  const latest = await client.event.findFirst({ orderBy: { id: "desc" }, select: { id: true } });

  const tenMinAgo = new Date(now.getTime() - 10 * 60_000);
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  // One count per bucket (not every row: a burst can complete thousands a minute).
  const perMinute = await Promise.all(
    Array.from({ length: 10 }, (_, i) => {
      const from = new Date(tenMinAgo.getTime() + i * 60_000);
      // The newest bucket includes `now` itself.
      const to = i === 9 ? { lte: now } : { lt: new Date(from.getTime() + 60_000) };
      return client.delivery.count({ where: { completed_at: { gte: from, ...to } } });
    }),
  );
  const completedCount = perMinute.reduce((a, b) => a + b, 0);
  const perHour = await Promise.all(
    Array.from({ length: 24 }, (_, i) => {
      const from = new Date(dayAgo.getTime() + i * 3_600_000);
      const to = i === 23 ? { lte: now } : { lt: new Date(from.getTime() + 3_600_000) };
      return client.deliveryAttempt.count({ where: { started_at: { gte: from, ...to }, error: { not: null } } });
    }),
  );
  const jobs = await client.job.findMany({ orderBy: { name: "asc" } });
  const queue = await client.delivery.groupBy({ by: ["status"], _count: { _all: true } });
  const oldestDue = await client.delivery.findFirst({
    where: { status: { in: ["pending", "failed"] }, next_attempt_at: { lte: now } },
    orderBy: { next_attempt_at: "asc" },
    select: { next_attempt_at: true },
  });

  return {
    worker: beat
      ? {
          id: beat.id,
          heartbeat_at: beat.beat_at.toISOString(),
          heartbeat_age_seconds: ageSeconds(beat.beat_at),
          started_at: beat.started_at.toISOString(),
        }
      : null,
    workers: beats.map((b) => ({
      id: b.id,
      heartbeat_at: b.beat_at.toISOString(),
      heartbeat_age_seconds: ageSeconds(b.beat_at),
      alive: ageSeconds(b.beat_at) <= ALIVE_SECONDS,
      started_at: b.started_at.toISOString(),
    })),
    relay: {
      position,
      latest_event_id: latest?.id ?? 0,
      lag_events: lagEvents,
      lag_seconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.created_at.getTime()) / 1000)) : 0,
    },
    deliveries: {
      queue: Object.fromEntries(queue.map((q) => [q.status, q._count._all])),
      oldest_due_seconds: oldestDue ? Math.round((now.getTime() - oldestDue.next_attempt_at.getTime()) / 1000) : 0,
      completed_last_10_min: completedCount,
      per_minute_last_10_min: perMinute,
      per_minute_average: Math.round((completedCount / 10) * 10) / 10,
    },
    failures: {
      last_hour: perHour[23],
      per_hour_last_24_h: perHour,
    },
    jobs: jobs.map((j) => ({
      name: j.name,
      enabled: j.enabled,
      next_run_at: j.next_run_at.toISOString(),
      last_status: j.last_status,
      last_finished_at: j.last_finished_at?.toISOString() ?? null,
      running: j.lease_until !== null && j.lease_until > now,
    })),
    bus: eventBusStatus(),
    generated_at: now.toISOString(),
  };
}
