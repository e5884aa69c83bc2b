import type { ActorContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";

/** What a background job is: a name, how often it runs, and the work (SPEC §5). */

export type JobTrigger = "scheduled" | "manual" | "event";

export interface JobRunContext {
  /** Actor `worker`, a fresh trace per run: events and audit rows of the run carry it. */
  ctx: ActorContext;
  /** The scheduler's clock when the run started (tests drive it). */
  now: Date;
  runId: string;
  trigger: JobTrigger;
  /** Aborted when the lease is lost or the worker stops before the job finished. */
  signal: AbortSignal;
  client: Db;
}

export interface JobDefinition {
  name: string;
  /** One line for the admin page. */
  description: string;
  /**
   * The default interval, read again every scheduling cycle so that a changed setting applies
   * without a restart. An admin override (PATCH /api/admin/jobs/{name}) wins over it.
   */
  intervalSeconds: () => number | Promise<number>;
  /** Returns a small JSON summary, stored on `job.completed`. Throwing marks the run failed. */
  run: (run: JobRunContext) => Promise<unknown>;
  /** Lease length; renewed every third of it while the job runs. Default 60 s. */
  leaseMs?: number;
  /**
   * Also run soon after events of these types are committed (by any process): the scheduler
   * watches the outbox and requests a run once no new matching event arrived for `debounceMs`
   * (or `maxWaitMs` after the first one, so a steady stream cannot starve the job).
   */
  runAfterEvents?: { types: readonly string[]; debounceMs: number; maxWaitMs?: number };
}
