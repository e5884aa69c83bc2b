import type { Db } from "@/lib/db/client";
import { config } from "@/lib/config/env";

/**
 * Hourly clean-up: expired Idempotency-Key records; heartbeats of workers gone for a day; and the
 * queue's finished history — completed or cancelled deliveries (with their attempt log) and
 * processed or ignored inbound events older than DELIVERY_RETENTION_DAYS (30). Failed and dead
 * deliveries and failed inbound events stay: someone may still retry them. Events themselves are
 * never removed: they are the feed and the audit trail.
 */

const HEARTBEAT_KEEP_MS = 24 * 3_600_000;

function retentionDays(): number {
  return config().DELIVERY_RETENTION_DAYS;
}

export async function housekeeping(client: Db, now = new Date(), options: { retentionDays?: number } = {}) {
  const idempotency = await client.idempotencyRecord.deleteMany({ where: { expires_at: { lt: now } } });
  // Heartbeats of workers gone for a day are history, not status.
  const heartbeats = await client.workerHeartbeat.deleteMany({ where: { beat_at: { lt: new Date(now.getTime() - HEARTBEAT_KEEP_MS) } } });
  const before = new Date(now.getTime() - (options.retentionDays ?? retentionDays()) * 24 * 3_600_000);
  // Attempts go with their delivery (ON DELETE CASCADE).
  const deliveries = await client.delivery.deleteMany({
    where: { status: { in: ["completed", "cancelled"] }, updated_at: { lt: before } },
  });
  const inbound = await client.inboundEvent.deleteMany({
    where: { status: { in: ["processed", "ignored"] }, received_at: { lt: before } },
  });
  return {
    idempotency_records_removed: idempotency.count,
    heartbeats_removed: heartbeats.count,
    deliveries_removed: deliveries.count,
    inbound_events_removed: inbound.count,
  };
}
