import type { Db } from "@/lib/db/client";

/** Hourly clean-up: expired Idempotency-Key records, and heartbeats of workers gone for a day. */

const HEARTBEAT_KEEP_MS = 24 * 3_600_000;

export async function housekeeping(client: Db, now = new Date()) {
  const idempotency = await client.idempotencyRecord.deleteMany({ where: { expires_at: { lt: now } } });
  // Heartbeats of workers gone for a day are history, not status.
  const heartbeats = await client.workerHeartbeat.deleteMany({ where: { beat_at: { lt: new Date(now.getTime() - HEARTBEAT_KEEP_MS) } } });
  return { idempotency_records_removed: idempotency.count, heartbeats_removed: heartbeats.count };
}
