/**
 * The worker process (`npm start` runs it beside the web server; `npm start -- --worker-only`
 * runs it alone): a heartbeat the health check and the Event system page read, the persisted job
 * scheduler (lib/jobs: centrifuge learning, testing and stock alerts, housekeeping, …) and the
 * outbox relay + deliveries.
 */
import "@/lib/observability/boot-worker"; // config check (one-line exit) + Sentry when SENTRY_DSN is set
import os from "node:os";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { startEventLoop } from "@/lib/events/delivery/loop";
import { closeSqliteStore } from "@/lib/events/delivery/store/sqlite/connection";
import { stopPgChanges } from "@/lib/db/pg-changes";
import { Scheduler } from "@/lib/jobs/scheduler";
import { registeredJobs } from "@/lib/jobs/registry";
import { startEventBus } from "@/lib/events/start";
import { startWorkerInboxWatcher } from "@/lib/events/inbox/inbox-lease";
import { flushSentry, reportError } from "@/lib/observability/sentry";

const HEARTBEAT_MS = 10_000;
/**
 * How long a stop waits for a running job before recording it interrupted and releasing its lease
 * (it then runs again at the next start). Under scripts/start.mjs, which exits 15 s after SIGTERM.
 */
const SHUTDOWN_JOB_WAIT_MS = 10_000;
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

function every(ms: number, task: () => Promise<void>, name: string): NodeJS.Timeout {
  const run = () =>
    task().catch((err: unknown) => {
      logger.error({ err, task: name }, "worker task failed");
      void reportError(err, { task: name });
    });
  void run();
  return setInterval(run, ms);
}

const heartbeatTimer = every(HEARTBEAT_MS, heartbeat, "heartbeat");
// Jobs: due runs, "run now" requests and inventory-change triggers are looked at every second.
const scheduler = new Scheduler({ ownerId: workerId, jobs: registeredJobs() });
scheduler.start();
// Events committed here reach this process's bus (cache invalidation) and, with REDIS_URL, the web
// instances' buses (SSE wake-up, caches).
const eventBus = startEventBus({ process: "worker" });
// Outbox relay + webhook/notify deliveries (lib/events/relay.ts, lib/events/delivery/).
const stopEventLoop = startEventLoop(workerId);
// File inbox (INBOX_DIR, default data/inbox): complete files dropped there → file.received → the
// "Inbox import" subscriber. With several workers only the holder of the inbox lease watches.
const inboxWatcher = startWorkerInboxWatcher(workerId);
logger.info({ workerId, jobs: registeredJobs().map((j) => j.name) }, "worker started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  clearInterval(heartbeatTimer);
  // Together: no new job runs (a running job gets SHUTDOWN_JOB_WAIT_MS, then its lease is
  // released); no new claims (in-flight deliveries finish, bounded; unstarted ones are put back);
  // no new inbox announcements (one in progress finishes).
  const [outcomes] = await Promise.all([scheduler.stop({ timeoutMs: SHUTDOWN_JOB_WAIT_MS }), stopEventLoop(), inboxWatcher.stop()]);
  const interrupted = outcomes.filter((o) => o.status === "interrupted");
  if (interrupted.length > 0) logger.warn({ jobs: interrupted.map((o) => o.job) }, "jobs interrupted by shutdown");
  closeSqliteStore();
  await stopPgChanges(); // PostgreSQL's LISTEN connection, if one was started
  await eventBus.stop();
  await db.workerHeartbeat.delete({ where: { id: workerId } }).catch(() => undefined);
  await db.$disconnect();
  await flushSentry(1_000);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
