import { randomUUID } from "node:crypto";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { newTraceId, type ActorContext } from "@/lib/context";
import { logger } from "@/lib/log";
import { reportError } from "@/lib/observability/sentry";
import { eventTypes } from "@/lib/events/catalogue";
import { globMatch } from "@/lib/events/glob";
import type { Job } from "@/lib/generated/prisma/client";
import { readIntervalOverrides, wholeSeconds, type IntervalOverrides } from "@/lib/jobs/interval-overrides";
import type { JobDefinition, JobTrigger } from "@/lib/jobs/job";

/**
 * The persisted scheduler (SPEC §5). Each job has a row in `jobs`; every tick (1 s) the scheduler:
 *
 * 1. creates missing rows (first run: now) and applies the current interval — the admin override,
 *    else the job's default read again from settings/env — rescheduling from the last start;
 * 2. watches the outbox for the job's trigger events (`runAfterEvents`) and, debounced, requests
 *    a run (`run_requested_at`) — the committing process may be the web server;
 * 3. claims each due job (next_run_at passed, or a run requested) with a lease: one conditional
 *    update on `lease_until < now`, so across processes at most one runner holds a job. The claim
 *    sets next_run_at = now + interval: a job overdue after a restart runs once, not once per
 *    missed interval. The lease is renewed while the job runs and released when it ends; a lease
 *    whose owner died simply expires and the next due run goes to whoever claims it.
 *
 * Every run emits `job.started`, then `job.completed` (duration, summary) or `job.failed` (error),
 * each through `mutate`. Jobs run concurrently with each other, never with themselves.
 */

export const DEFAULT_TICK_MS = 1000;
export const DEFAULT_JOB_LEASE_MS = 60_000;
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;
/** `run_requested_by` of a run requested by trigger events, e.g. `event:finished_good.deducted`. */
export const EVENT_REQUEST_PREFIX = "event:";
/** Summaries are kept on the `job.completed` event; anything larger is cut. */
const MAX_SUMMARY_CHARS = 8000;

export interface SchedulerOptions {
  /** Unique per scheduler instance (host:pid:random in the worker): written as the lease owner. */
  ownerId: string;
  jobs: JobDefinition[];
  client?: Db;
  tickMs?: number;
  /** The clock (tests drive it). */
  now?: () => Date;
}

export interface RunOutcome {
  job: string;
  runId: string;
  status: "completed" | "failed" | "interrupted";
  durationMs: number;
  result?: unknown;
  error?: string;
}

interface ActiveRun {
  runId: string;
  ctx: ActorContext;
  startedAt: Date;
  startedPerf: number;
  abort: AbortController;
  promise: Promise<RunOutcome>;
  done: boolean;
  /** Set by `stop` when it gave up waiting: the run's own ending must not record it again. */
  interrupted: boolean;
}

interface EventWatch {
  types: string[];
  /** Id of the last trigger event seen; null until initialised from the job's last start. */
  cursor: number | null;
  firstAt: number | null;
  lastAt: number | null;
  lastType: string | null;
}

class NotClaimed extends Error {}

export class Scheduler {
  readonly ownerId: string;
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly client: Db;
  private readonly tickMs: number;
  private readonly now: () => Date;
  private readonly active = new Map<string, ActiveRun>();
  private readonly watches = new Map<string, EventWatch>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<string[]> | null = null;
  private stopped = false;

  constructor(options: SchedulerOptions) {
    this.ownerId = options.ownerId;
    this.client = options.client ?? defaultDb;
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.now = options.now ?? (() => new Date());
    for (const job of options.jobs) {
      if (this.jobs.has(job.name)) throw new Error(`Job "${job.name}" is registered twice`);
      this.jobs.set(job.name, job);
      if (job.runAfterEvents) {
        const types = eventTypes.filter((t) => job.runAfterEvents!.types.some((g) => globMatch(g, t)));
        this.watches.set(job.name, { types, cursor: null, firstAt: null, lastAt: null, lastType: null });
      }
    }
  }

  /** Ticks every `tickMs` until `stop`. */
  start(): void {
    if (this.timer || this.stopped) return;
    const loop = () => void this.tick().catch((err: unknown) => logger.error({ err }, "scheduler tick failed"));
    loop();
    this.timer = setInterval(loop, this.tickMs);
  }

  /** One scheduling cycle; resolves with the jobs it started (not finished). Never overlaps itself. */
  tick(): Promise<string[]> {
    if (this.stopped) return Promise.resolve([]);
    this.ticking ??= this.cycle().finally(() => (this.ticking = null));
    return this.ticking;
  }

  /** Names of the jobs this instance is running now. */
  running(): string[] {
    return [...this.active.keys()];
  }

  /** Waits for the runs in progress (tests; shutdown uses `stop`). */
  async settle(): Promise<RunOutcome[]> {
    return Promise.all([...this.active.values()].map((r) => r.promise));
  }

  /**
   * Graceful stop: no new runs; waits up to `timeoutMs` for runs in progress; a run still going
   * after that is aborted, recorded as interrupted (`job.failed`), its lease released and its next
   * run set to now, so another worker (or the next start) runs it again straight away.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<RunOutcome[]> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
    const runs = [...this.active.entries()];
    if (runs.length === 0) return [];
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">(
      (resolve) => (timeout = setTimeout(() => resolve("timeout"), options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS)),
    );
    const all = Promise.all(runs.map(([, r]) => r.promise));
    const first = await Promise.race([all, timedOut]);
    clearTimeout(timeout);
    if (first !== "timeout") return first;
    const outcomes: RunOutcome[] = [];
    for (const [name, run] of runs) {
      if (run.done) {
        outcomes.push(await run.promise);
        continue;
      }
      run.interrupted = true;
      run.abort.abort(new Error("The worker is stopping"));
      outcomes.push(await this.release(name, run));
    }
    return outcomes;
  }

  private async cycle(): Promise<string[]> {
    const now = this.now();
    const rows = await this.syncRows(now);
    await this.watchEvents(rows, now);
    const started: string[] = [];
    for (const def of this.jobs.values()) {
      if (this.stopped) break;
      const row = rows.get(def.name);
      if (!row || !row.enabled || this.active.has(def.name)) continue;
      const due = row.run_requested_at !== null || row.next_run_at <= now;
      if (!due || (row.lease_until && row.lease_until >= now)) continue;
      try {
        if (await this.claim(def, now)) started.push(def.name);
      } catch (err) {
        logger.error({ err, job: def.name }, "job claim failed");
      }
    }
    return started;
  }

  /** The interval a job runs at now: the admin override, else its default (settings/env). */
  private async intervalOf(def: JobDefinition, overrides: IntervalOverrides, current: number | undefined): Promise<number> {
    if (overrides[def.name] !== undefined) return overrides[def.name];
    try {
      return wholeSeconds(await def.intervalSeconds(), current ?? 3600);
    } catch (err) {
      logger.warn({ err, job: def.name }, "job interval could not be read; keeping the current one");
      return current ?? 3600;
    }
  }

  private async syncRows(now: Date): Promise<Map<string, Job>> {
    const found = await this.client.job.findMany({ where: { name: { in: [...this.jobs.keys()] } } });
    const rows = new Map(found.map((r) => [r.name, r]));
    const overrides = await readIntervalOverrides(this.client);
    for (const def of this.jobs.values()) {
      const row = rows.get(def.name);
      const interval = await this.intervalOf(def, overrides, row?.interval_seconds);
      if (!row) {
        rows.set(def.name, await this.createRow(def.name, interval, now));
      } else if (row.interval_seconds !== interval) {
        // A new interval counts from the last start (a shorter one may make the job due now).
        const next = row.last_started_at ? new Date(row.last_started_at.getTime() + interval * 1000) : row.next_run_at;
        await this.client.job.updateMany({
          where: { name: def.name, interval_seconds: row.interval_seconds },
          data: { interval_seconds: interval, next_run_at: next },
        });
        rows.set(def.name, { ...row, interval_seconds: interval, next_run_at: next });
      }
    }
    return rows;
  }

  private async createRow(name: string, interval: number, now: Date): Promise<Job> {
    try {
      return await this.client.job.create({ data: { name, interval_seconds: interval, next_run_at: now } });
    } catch (err) {
      // Another scheduler created it first.
      if ((err as { code?: string }).code !== "P2002") throw err;
      return this.client.job.findUniqueOrThrow({ where: { name } });
    }
  }

  /**
   * Trigger events committed since the job last looked (any process): request a run once they
   * have been quiet for `debounceMs`, or `maxWaitMs` after the first.
   */
  private async watchEvents(rows: Map<string, Job>, now: Date): Promise<void> {
    for (const [name, watch] of this.watches) {
      const def = this.jobs.get(name)!;
      const row = rows.get(name);
      if (!row || watch.types.length === 0) continue;
      if (watch.cursor === null) watch.cursor = await this.initialCursor(row);
      const latest = await this.client.event.findFirst({
        where: { id: { gt: watch.cursor }, type: { in: watch.types } },
        orderBy: { id: "desc" },
        select: { id: true, type: true },
      });
      const t = now.getTime();
      if (latest) {
        watch.cursor = latest.id;
        watch.firstAt ??= t;
        watch.lastAt = t;
        watch.lastType = latest.type;
      }
      if (watch.firstAt === null || watch.lastAt === null) continue;
      const { debounceMs, maxWaitMs } = def.runAfterEvents!;
      if (t - watch.lastAt < debounceMs && t - watch.firstAt < (maxWaitMs ?? debounceMs * 15)) continue;
      const by = `${EVENT_REQUEST_PREFIX}${watch.lastType}`;
      watch.firstAt = watch.lastAt = null;
      if (!row.enabled || row.run_requested_at) continue;
      const requested = await this.client.job.updateMany({
        where: { name, enabled: true, run_requested_at: null },
        data: { run_requested_at: now, run_requested_by: by },
      });
      if (requested.count === 1) rows.set(name, { ...row, run_requested_at: now, run_requested_by: by });
    }
  }

  /** Events up to the job's last start were seen by that run; a job that never ran is due anyway. */
  private async initialCursor(row: Job): Promise<number> {
    const where = row.last_started_at ? { created_at: { lte: row.last_started_at } } : {};
    const last = await this.client.event.findFirst({ where, orderBy: { id: "desc" }, select: { id: true } });
    return last?.id ?? 0;
  }

  /** Takes the lease and emits `job.started` in one transaction; false when someone else won. */
  private async claim(def: JobDefinition, now: Date): Promise<boolean> {
    const runId = randomUUID();
    const ctx: ActorContext = { actor: "worker", source: "worker", traceId: newTraceId() };
    const leaseMs = def.leaseMs ?? DEFAULT_JOB_LEASE_MS;
    let trigger: JobTrigger = "scheduled";
    try {
      await mutate(
        ctx,
        async (m) => {
          const row = await m.tx.job.findUnique({ where: { name: def.name } });
          if (!row) throw new NotClaimed();
          const won = await m.tx.job.updateMany({
            where: {
              name: def.name,
              enabled: true,
              OR: [{ lease_until: null }, { lease_until: { lt: now } }],
              AND: [{ OR: [{ next_run_at: { lte: now } }, { run_requested_at: { not: null } }] }],
            },
            data: {
              lease_owner: this.ownerId,
              lease_until: new Date(now.getTime() + leaseMs),
              last_started_at: now,
              next_run_at: new Date(now.getTime() + row.interval_seconds * 1000),
              run_requested_at: null,
              run_requested_by: null,
            },
          });
          if (won.count !== 1) throw new NotClaimed();
          if (row.run_requested_at) trigger = row.run_requested_by?.startsWith(EVENT_REQUEST_PREFIX) ? "event" : "manual";
          // An owner still named on an expired lease never released it: it died mid-run.
          const tookOver = row.lease_owner && row.lease_owner !== this.ownerId ? row.lease_owner : null;
          if (tookOver) logger.warn({ job: def.name, previous_owner: tookOver }, "job lease expired; taking over");
          await m.emit("job.started", {
            job: def.name,
            run_id: runId,
            trigger,
            requested_by: row.run_requested_at ? row.run_requested_by : null,
            ...(tookOver ? { took_over_from: tookOver } : {}),
          });
        },
        this.client,
      );
    } catch (err) {
      if (err instanceof NotClaimed) return false;
      throw err;
    }
    this.launch(def, { runId, ctx, now, trigger, leaseMs });
    return true;
  }

  private launch(def: JobDefinition, claim: { runId: string; ctx: ActorContext; now: Date; trigger: JobTrigger; leaseMs: number }): void {
    const abort = new AbortController();
    const run: ActiveRun = {
      runId: claim.runId,
      ctx: claim.ctx,
      startedAt: claim.now,
      startedPerf: performance.now(),
      abort,
      done: false,
      interrupted: false,
      promise: Promise.resolve(null as never),
    };
    const renew = setInterval(() => void this.renewLease(def.name, run, claim.leaseMs), Math.max(50, Math.floor(claim.leaseMs / 3)));
    run.promise = (async (): Promise<RunOutcome> => {
      let result: unknown;
      let error: string | null = null;
      try {
        result = await def.run({
          ctx: claim.ctx,
          now: claim.now,
          runId: claim.runId,
          trigger: claim.trigger,
          signal: abort.signal,
          client: this.client,
        });
      } catch (err) {
        error = (err instanceof Error ? err.message : String(err)).slice(0, 2000) || "failed";
        logger.error({ err, job: def.name, run_id: claim.runId }, "job failed");
        void reportError(err, { job: def.name });
      } finally {
        clearInterval(renew);
      }
      const durationMs = Math.round(performance.now() - run.startedPerf);
      if (run.interrupted) return { job: def.name, runId: claim.runId, status: "interrupted", durationMs, error: "interrupted" };
      const outcome: RunOutcome =
        error === null
          ? { job: def.name, runId: claim.runId, status: "completed", durationMs, result: summaryOf(result) }
          : { job: def.name, runId: claim.runId, status: "failed", durationMs, error };
      try {
        await this.finish(def.name, run, outcome);
      } catch (err) {
        logger.error({ err, job: def.name, run_id: claim.runId }, "job result could not be recorded");
      }
      return outcome;
    })();
    this.active.set(def.name, run);
    void run.promise.then(() => {
      run.done = true;
      if (this.active.get(def.name) === run) this.active.delete(def.name);
    });
  }

  private async renewLease(name: string, run: ActiveRun, leaseMs: number): Promise<void> {
    if (run.done || run.abort.signal.aborted) return;
    try {
      const renewed = await this.client.job.updateMany({
        where: { name, lease_owner: this.ownerId, last_started_at: run.startedAt },
        data: { lease_until: new Date(this.now().getTime() + leaseMs) },
      });
      if (renewed.count === 0 && !run.done) {
        logger.warn({ job: name, run_id: run.runId, owner: this.ownerId }, "job lease lost; aborting the run");
        run.abort.abort(new Error("The job's lease was lost"));
      }
    } catch (err) {
      logger.warn({ err, job: name }, "job lease renewal failed");
    }
  }

  /**
   * Releases the lease and records the result with its event, in one transaction; `runAgainAt`
   * reschedules the job (an interrupted run is due again at once).
   */
  private async finish(name: string, run: ActiveRun, outcome: RunOutcome, runAgainAt?: Date): Promise<void> {
    await mutate(
      run.ctx,
      async (m) => {
        // Only while the lease is still ours: after a lost lease the row belongs to the new runner.
        await m.tx.job.updateMany({
          where: { name, lease_owner: this.ownerId, last_started_at: run.startedAt },
          data: {
            lease_owner: null,
            lease_until: null,
            ...(runAgainAt ? { next_run_at: runAgainAt } : {}),
            last_finished_at: new Date(run.startedAt.getTime() + outcome.durationMs),
            last_status: outcome.status,
            last_error: outcome.error ?? null,
            last_duration_ms: outcome.durationMs,
          },
        });
        if (outcome.status === "completed") {
          await m.emit("job.completed", { job: name, run_id: run.runId, duration_ms: outcome.durationMs, result: outcome.result });
        } else {
          await m.emit("job.failed", { job: name, run_id: run.runId, duration_ms: outcome.durationMs, error: outcome.error ?? "failed" });
        }
      },
      this.client,
    );
  }

  private async release(name: string, run: ActiveRun): Promise<RunOutcome> {
    const durationMs = Math.round(performance.now() - run.startedPerf);
    const error = "Interrupted: the worker stopped before the job finished";
    const outcome: RunOutcome = { job: name, runId: run.runId, status: "interrupted", durationMs, error };
    try {
      await this.finish(name, run, outcome, this.now());
    } catch (err) {
      logger.error({ err, job: name }, "job lease could not be released");
    }
    return outcome;
  }
}

/** A JSON copy of a job's summary, cut when it is too large for an event payload. */
function summaryOf(value: unknown): unknown {
  if (value === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } catch {
    return { unserializable: String(value).slice(0, 200) };
  }
  if (text.length > MAX_SUMMARY_CHARS) return { truncated: true, preview: text.slice(0, 2000) };
  return JSON.parse(text) as unknown;
}
