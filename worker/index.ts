/**
 * The worker process (`npm start` runs it beside the web server; `npm start -- --worker-only`
 * runs it alone): a heartbeat the health check and the Event system page read, housekeeping of
 * expired Idempotency-Key records, and the centrifuge learning processor every 5 minutes. The
 * outbox relay, deliveries, inbound polling and the persisted scheduler join here in later issues.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { systemContext } from "@/lib/context";
import { CENTRIFUGE_LEARNING_JOB, processCentrifugeOutcomes } from "@/lib/domain/centrifuge/learning/process-outcomes";
import { startEventLoop } from "@/lib/events/delivery/loop";

const HEARTBEAT_MS = 10_000;
const HOUSEKEEPING_MS = 60 * 60_000;
const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const startedAt = new Date();

async function heartbeat(): Promise<void> {
  const info = { pid: process.pid, hostname: os.hostname(), rss_mb: Math.round(process.memoryUsage().rss / 1e6) };
  await db.workerHeartbeat.upsert({
    where: { id: workerId },
    create: { id: workerId, started_at: startedAt, beat_at: new Date(), info },
    update: { beat_at: new Date(), info },
  });
}

async function housekeeping(): Promise<void> {
  const { count } = await db.idempotencyRecord.deleteMany({ where: { expires_at: { lt: new Date() } } });
  // Heartbeats of workers gone for a day are history, not status.
  await db.workerHeartbeat.deleteMany({ where: { beat_at: { lt: new Date(Date.now() - 24 * 3_600_000) } } });
  if (count > 0) logger.info({ count }, "expired idempotency records removed");
}

function every(ms: number, task: () => Promise<void>, name: string): NodeJS.Timeout {
  const run = () => task().catch((err: unknown) => logger.error({ err, task: name }, "worker task failed"));
  void run();
  return setInterval(run, ms);
}

async function learn(): Promise<void> {
  const result = await processCentrifugeOutcomes(systemContext("worker", "worker"));
  if (result.outcomes_processed > 0) logger.info(result, "centrifuge recommendations updated");
}

const timers = [
  every(HEARTBEAT_MS, heartbeat, "heartbeat"),
  every(HOUSEKEEPING_MS, housekeeping, "housekeeping"),
  every(CENTRIFUGE_LEARNING_JOB.interval_seconds * 1000, learn, CENTRIFUGE_LEARNING_JOB.name),
];
// Outbox relay + webhook/notify deliveries, every second (lib/events/relay.ts, lib/events/delivery/).
const stopEventLoop = startEventLoop(workerId);
logger.info({ workerId }, "worker started");

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, "worker stopping");
  timers.forEach(clearInterval);
  stopEventLoop();
  await db.workerHeartbeat.delete({ where: { id: workerId } }).catch(() => undefined);
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
