import { db, type Db } from "@/lib/db/client";
import { RELAY_CURSOR } from "@/lib/events/relay";

/** The Event system page's "service status": worker heartbeat, relay lag, throughput, failures. */
export async function eventSystemStatus(client: Db = db, now: Date = new Date()) {
  const beat = await client.workerHeartbeat.findFirst({ orderBy: { beat_at: "desc" } });
  const cursor = await client.cursor.findUnique({ where: { name: RELAY_CURSOR } });
  const position = cursor?.position ?? 0;
  const lagEvents = await client.event.count({ where: { id: { gt: position } } });
  const oldest = lagEvents > 0 ? await client.event.findFirst({ where: { id: { gt: position } }, orderBy: { id: "asc" } }) : null;
  const latest = await client.event.findFirst({ orderBy: { id: "desc" }, select: { id: true } });

  const tenMinAgo = new Date(now.getTime() - 10 * 60_000);
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const completed = await client.delivery.findMany({ where: { completed_at: { gte: tenMinAgo } }, select: { completed_at: true } });
  const perMinute = Array.from({ length: 10 }, () => 0);
  for (const d of completed) {
    const i = 9 - Math.floor((now.getTime() - d.completed_at!.getTime()) / 60_000);
    if (i >= 0 && i < 10) perMinute[i]++;
  }
  const failures = await client.deliveryAttempt.findMany({ where: { started_at: { gte: dayAgo }, error: { not: null } }, select: { started_at: true } });
  const perHour = Array.from({ length: 24 }, () => 0);
  for (const a of failures) {
    const i = 23 - Math.floor((now.getTime() - a.started_at.getTime()) / 3_600_000);
    if (i >= 0 && i < 24) perHour[i]++;
  }
  const queue = await client.delivery.groupBy({ by: ["status"], _count: { _all: true } });
  const oldestDue = await client.delivery.findFirst({ where: { status: { in: ["pending", "failed"] }, next_attempt_at: { lte: now } }, orderBy: { next_attempt_at: "asc" }, select: { next_attempt_at: true } });

  return {
    worker: beat
      ? { id: beat.id, heartbeat_at: beat.beat_at.toISOString(), heartbeat_age_seconds: Math.round((now.getTime() - beat.beat_at.getTime()) / 100) / 10, started_at: beat.started_at.toISOString() }
      : null,
    relay: {
      position,
      latest_event_id: latest?.id ?? 0,
      lag_events: lagEvents,
      lag_seconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.created_at.getTime()) / 1000)) : 0,
    },
    deliveries: {
      queue: Object.fromEntries(queue.map((q) => [q.status, q._count._all])),
      oldest_due_seconds: oldestDue ? Math.round((now.getTime() - oldestDue.next_attempt_at.getTime()) / 1000) : 0,
      completed_last_10_min: completed.length,
      per_minute_last_10_min: perMinute,
      per_minute_average: Math.round((completed.length / 10) * 10) / 10,
    },
    failures: {
      last_hour: perHour[23],
      per_hour_last_24_h: perHour,
    },
    generated_at: now.toISOString(),
  };
}
