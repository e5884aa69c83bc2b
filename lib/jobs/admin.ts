import { z } from "zod";
import { db as defaultDb, type Db, type Tx } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import type { ActorContext } from "@/lib/context";
import { conflict, notFound } from "@/lib/http/errors";
import type { Job } from "@/lib/generated/prisma/client";
import {
  JOB_INTERVALS_SETTING,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  readIntervalOverrides,
  wholeSeconds,
} from "@/lib/jobs/interval-overrides";
import { registeredJobs } from "@/lib/jobs/registry";
import type { JobDefinition } from "@/lib/jobs/job";

/**
 * The Jobs admin API: list (state, next run, last result, duration), "run now" (the worker picks
 * the request up within its 1 s tick) and enable/disable/interval. Routes: app/api/admin/jobs/.
 */

export const jobParams = z.strictObject({ name: z.string().min(1).max(100) });

export const updateJobSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    /** Seconds; null removes the override and goes back to the job's default. */
    interval_seconds: z.number().int().min(MIN_INTERVAL_SECONDS).max(MAX_INTERVAL_SECONDS).nullable().optional(),
  })
  .refine((v) => v.enabled !== undefined || v.interval_seconds !== undefined, { message: "Nothing to update" });

export type JobState = "disabled" | "running" | "requested" | "scheduled";

export interface JobView {
  name: string;
  description: string;
  enabled: boolean;
  state: JobState;
  interval_seconds: number;
  default_interval_seconds: number;
  interval_source: "default" | "override";
  next_run_at: string | null;
  run_requested_at: string | null;
  run_requested_by: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_status: string | null;
  last_error: string | null;
  last_duration_ms: number | null;
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

async function defaultInterval(def: JobDefinition): Promise<number> {
  try {
    return wholeSeconds(await def.intervalSeconds(), 3600);
  } catch {
    return 3600;
  }
}

/** `fallback` is the job's default interval, read before any transaction (it may read settings). */
function viewOf(def: JobDefinition, row: Job | null, overrides: Record<string, number>, now: Date, fallback: number): JobView {
  const override = overrides[def.name];
  const enabled = row?.enabled ?? true;
  const running = !!(row?.lease_owner && row.lease_until && row.lease_until >= now);
  return {
    name: def.name,
    description: def.description,
    enabled,
    state: running ? "running" : !enabled ? "disabled" : row?.run_requested_at ? "requested" : "scheduled",
    interval_seconds: override ?? fallback,
    default_interval_seconds: fallback,
    interval_source: override !== undefined ? "override" : "default",
    // No row yet: the worker has not started since the job was added; it runs at its first tick.
    next_run_at: iso(row?.next_run_at),
    run_requested_at: iso(row?.run_requested_at),
    run_requested_by: row?.run_requested_by ?? null,
    lease_owner: running ? row!.lease_owner : null,
    lease_until: running ? iso(row!.lease_until) : null,
    last_started_at: iso(row?.last_started_at),
    last_finished_at: iso(row?.last_finished_at),
    last_status: row?.last_status ?? null,
    last_error: row?.last_error ?? null,
    last_duration_ms: row?.last_duration_ms ?? null,
  };
}

export async function listJobs(client: Db = defaultDb, now = new Date()): Promise<JobView[]> {
  const defs = registeredJobs();
  const rows = new Map((await client.job.findMany({ where: { name: { in: defs.map((d) => d.name) } } })).map((r) => [r.name, r]));
  const overrides = await readIntervalOverrides(client);
  return Promise.all(defs.map(async (d) => viewOf(d, rows.get(d.name) ?? null, overrides, now, await defaultInterval(d))));
}

function definition(name: string): JobDefinition {
  const def = registeredJobs().find((j) => j.name === name);
  if (!def) throw notFound(`No job named "${name}"`, "job_not_found");
  return def;
}

/** The job's row, created (first run: now) when the worker has not made it yet. */
async function rowFor(tx: Tx, def: JobDefinition, now: Date, fallback: number): Promise<Job> {
  const row = await tx.job.findUnique({ where: { name: def.name } });
  if (row) return row;
  const overrides = await readIntervalOverrides(tx);
  return tx.job.create({ data: { name: def.name, interval_seconds: overrides[def.name] ?? fallback, next_run_at: now } });
}

class Unchanged extends Error {
  constructor(readonly view: JobView) {
    super("unchanged");
  }
}

/** "Run now": the worker runs the job at its next tick (a run in progress finishes first). */
export async function requestJobRun(ctx: ActorContext, name: string, client: Db = defaultDb): Promise<JobView> {
  const def = definition(name);
  const fallback = await defaultInterval(def);
  return mutate(
    ctx,
    async (m) => {
      const row = await rowFor(m.tx, def, m.now, fallback);
      if (!row.enabled) throw conflict(`Job "${name}" is disabled; enable it first`, undefined, "job_disabled");
      const updated = await m.tx.job.update({ where: { name }, data: { run_requested_at: m.now, run_requested_by: ctx.actor } });
      await m.emit("job.run_requested", { job: name, requested_by: ctx.actor });
      return viewOf(def, updated, await readIntervalOverrides(m.tx), m.now, fallback);
    },
    client,
  );
}

/** Enable/disable, and the interval override (null: back to the default). Audited. */
export async function updateJob(
  ctx: ActorContext,
  name: string,
  input: z.output<typeof updateJobSchema>,
  client: Db = defaultDb,
): Promise<JobView> {
  const def = definition(name);
  const fallback = await defaultInterval(def);
  try {
    return await mutate(ctx, (m) => applyUpdate(m, def, input, fallback), client);
  } catch (err) {
    if (err instanceof Unchanged) return err.view;
    throw err;
  }
}

async function applyUpdate(m: Mutation, def: JobDefinition, input: z.output<typeof updateJobSchema>, fallback: number): Promise<JobView> {
  const name = def.name;
  const row = await rowFor(m.tx, def, m.now, fallback);
  const overrides = await readIntervalOverrides(m.tx);
  const changed: string[] = [];
  if (input.interval_seconds !== undefined && (overrides[name] ?? null) !== input.interval_seconds) {
    if (input.interval_seconds === null) delete overrides[name];
    else overrides[name] = input.interval_seconds;
    await m.tx.setting.upsert({
      where: { key: JOB_INTERVALS_SETTING },
      create: { key: JOB_INTERVALS_SETTING, value: overrides, updated_by: m.ctx.actor },
      update: { value: overrides, updated_by: m.ctx.actor },
    });
    changed.push("interval_seconds");
  }
  const interval = overrides[name] ?? fallback;
  const enabled = input.enabled ?? row.enabled;
  if (enabled !== row.enabled) changed.push("enabled");
  // Asking for what is already so changes nothing (and writes nothing).
  if (changed.length === 0) throw new Unchanged(viewOf(def, row, overrides, m.now, fallback));
  const updated = await m.tx.job.update({
    where: { name },
    data: {
      enabled,
      interval_seconds: interval,
      // A new interval counts from the last start, as the scheduler does.
      ...(interval !== row.interval_seconds && row.last_started_at
        ? { next_run_at: new Date(row.last_started_at.getTime() + interval * 1000) }
        : {}),
      // A disabled job forgets a pending "run now".
      ...(!enabled ? { run_requested_at: null, run_requested_by: null } : {}),
    },
  });
  await m.audit({
    entity: "job",
    entityId: name,
    label: name,
    before: { enabled: row.enabled, interval_seconds: row.interval_seconds },
    after: { enabled: updated.enabled, interval_seconds: updated.interval_seconds },
  });
  await m.emit("job.updated", {
    job: name,
    changed_fields: changed,
    enabled: updated.enabled,
    interval_seconds: updated.interval_seconds,
    interval_source: overrides[name] !== undefined ? "override" : "default",
  });
  return viewOf(def, updated, overrides, m.now, fallback);
}
