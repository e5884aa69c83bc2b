import { processCentrifugeOutcomes, CENTRIFUGE_LEARNING_JOB } from "@/lib/domain/centrifuge/learning/process-outcomes";
import { checkTestingAlerts } from "@/lib/domain/alerts/testing-alerts";
import { checkStockAlerts } from "@/lib/domain/alerts/check-alerts";
import { housekeeping } from "@/lib/jobs/housekeeping";
import { pollDueSources, pollingJobIntervalSeconds } from "@/lib/events/sources/poll";
import { backupsJob } from "@/lib/domain/backups/backup-job";
import type { JobDefinition } from "@/lib/jobs/job";

/**
 * The worker's background jobs (SPEC §5, seed 000 "Background Job Triggers"). Intervals here are
 * defaults: an admin can override one on the Jobs page (PATCH /api/admin/jobs/{name}); a default
 * read from settings/env is read again every cycle, so a changed setting applies at once.
 */

/** Inventory events after which stock alerts are checked again (debounced): any process's deduct. */
export const STOCK_ALERT_TRIGGERS = ["finished_good.*", "supply.updated"] as const;

export const centrifugeLearningJob: JobDefinition = {
  name: CENTRIFUGE_LEARNING_JOB.name,
  description: "Turns new centrifuge outcomes into per-strain recommendations",
  intervalSeconds: () => CENTRIFUGE_LEARNING_JOB.interval_seconds,
  run: async ({ ctx, client }) => processCentrifugeOutcomes(ctx, client),
};

export const testingAlertsJob: JobDefinition = {
  name: "testing-alerts",
  description: "Alerts on batches waiting on testing longer than test_alert_hours",
  intervalSeconds: () => 30 * 60,
  run: async ({ ctx, now }) => {
    const r = await checkTestingAlerts(ctx, now);
    return {
      threshold_hours: r.threshold_hours,
      overdue: r.overdue,
      alerted: r.alerted.map((a) => a.strain),
      already_alerted: r.already_alerted,
    };
  },
};

export const stockAlertsJob: JobDefinition = {
  name: "stock-alerts",
  description: "Low-stock alerts for finished goods and supplies, through the notifier",
  intervalSeconds: () => 60 * 60,
  runAfterEvents: { types: STOCK_ALERT_TRIGGERS, debounceMs: 2000, maxWaitMs: 30_000 },
  run: async ({ ctx, now }) => {
    // Deliveries are left to the worker's delivery loop (durable, retried).
    const r = await checkStockAlerts(ctx, now, { deliver: "queue" });
    return {
      sent: r.sent,
      suppressed: r.suppressed,
      delivery: r.delivery,
      alerts: r.alerts.filter((a) => a.status === "sent").map((a) => `${a.level}: ${a.subject}`),
    };
  },
};

export const housekeepingJob: JobDefinition = {
  name: "housekeeping",
  description: "Removes expired idempotency records and old worker heartbeats",
  intervalSeconds: () => 60 * 60,
  run: async ({ client, now }) => housekeeping(client, now),
};

export const inboundPollingJob: JobDefinition = {
  name: "inbound-polling",
  description: "Polls configured inbound event sources (each on its own interval)",
  // As often as the most frequent active source needs; EVENT_POLLING_INTERVAL without sources.
  intervalSeconds: () => pollingJobIntervalSeconds(),
  // A new, changed or re-enabled source is polled at once, then on its own interval.
  runAfterEvents: { types: ["event_source.created", "event_source.updated"], debounceMs: 500, maxWaitMs: 5000 },
  run: async ({ client, now, ctx, signal }) => {
    const r = await pollDueSources(client, now, { ctx, signal });
    return { polled: r.polled, ...r.totals };
  },
};

/** Every job the worker schedules, in the order the admin page lists them. */
export function registeredJobs(): JobDefinition[] {
  return [centrifugeLearningJob, testingAlertsJob, stockAlertsJob, housekeepingJob, backupsJob, inboundPollingJob];
}

export function findJob(name: string): JobDefinition | undefined {
  return registeredJobs().find((j) => j.name === name);
}
