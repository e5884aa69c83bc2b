import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { Scheduler } from "@/lib/jobs/scheduler";
import type { JobDefinition, JobRunContext } from "@/lib/jobs/job";
import { centrifugeLearningJob, housekeepingJob, registeredJobs, testingAlertsJob } from "@/lib/jobs/registry";
import { JOB_INTERVALS_SETTING } from "@/lib/jobs/interval-overrides";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { changeBatchStage } from "@/lib/domain/batches/change-batch-stage";
import { buildBatch } from "@/prisma/seed/batch";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as listRoute from "@/app/api/admin/jobs/route";
import * as jobRoute from "@/app/api/admin/jobs/[name]/route";
import * as runRoute from "@/app/api/admin/jobs/[name]/run/route";

/**
 * The persisted scheduler against the real database: schedules survive restarts without catch-up
 * storms, leases keep a job to one runner across schedulers, every run leaves its events, and the
 * admin API drives it. Fake jobs stand in where the work itself does not matter.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
function fakeJob(overrides: Partial<JobDefinition> = {}): JobDefinition {
  return { name: `job-${++seq}`, description: "test job", intervalSeconds: () => 300, run: async () => ({ ok: true }), ...overrides };
}
/** One scheduling cycle and the runs it started, to the end. */
async function cycle(s: Scheduler): Promise<string[]> {
  const started = await s.tick();
  await s.settle();
  return started;
}
async function jobEvents(name: string) {
  const rows = await db.event.findMany({ where: { type: { startsWith: "job." } }, orderBy: { id: "asc" } });
  return rows
    .filter((e) => (e.payload as { job?: string }).job === name)
    .map((e) => ({ type: e.type, payload: e.payload as Record<string, unknown> }));
}
const row = (name: string) => db.job.findUniqueOrThrow({ where: { name } });

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

describe("schedule", () => {
  it("a job overdue after a restart runs once, then is rescheduled from now (no catch-up runs)", async () => {
    let runs = 0;
    const job = fakeJob({ run: async () => ({ run: ++runs }) });
    const t0 = Date.now();
    // The worker was down for ten intervals.
    await db.job.create({
      data: {
        name: job.name,
        interval_seconds: 300,
        next_run_at: new Date(t0 - 10 * 300_000),
        last_started_at: new Date(t0 - 11 * 300_000),
      },
    });
    let now = new Date(t0);
    const restarted = new Scheduler({ ownerId: "restarted", jobs: [job], now: () => now });
    expect(await cycle(restarted)).toEqual([job.name]);
    for (let i = 0; i < 5; i++) expect(await cycle(restarted)).toEqual([]);
    expect(runs).toBe(1);
    expect(await row(job.name)).toMatchObject({
      next_run_at: new Date(t0 + 300_000),
      last_started_at: new Date(t0),
      last_status: "completed",
      lease_owner: null,
      lease_until: null,
    });

    now = new Date(t0 + 299_000);
    expect(await cycle(restarted)).toEqual([]);
    now = new Date(t0 + 300_000);
    expect(await cycle(restarted)).toEqual([job.name]);
    expect(runs).toBe(2);
  });

  it("every run emits job.started, then job.completed with duration and summary, or job.failed with the error", async () => {
    const ok = fakeJob({
      run: async () => {
        await sleep(30);
        return { processed: 3 };
      },
    });
    const broken = fakeJob({
      run: async () => {
        throw new Error("disk full");
      },
    });
    const s = new Scheduler({ ownerId: "w1", jobs: [ok, broken] });
    expect((await cycle(s)).sort()).toEqual([ok.name, broken.name].sort());

    const okEvents = await jobEvents(ok.name);
    expect(okEvents.map((e) => e.type)).toEqual(["job.started", "job.completed"]);
    expect(okEvents[0].payload).toMatchObject({ job: ok.name, trigger: "scheduled", requested_by: null });
    expect(okEvents[1].payload).toMatchObject({ job: ok.name, run_id: okEvents[0].payload.run_id, result: { processed: 3 } });
    expect(okEvents[1].payload.duration_ms).toBeGreaterThanOrEqual(25);
    expect(await row(ok.name)).toMatchObject({ last_status: "completed", last_error: null, lease_owner: null });
    expect((await row(ok.name)).last_duration_ms).toBeGreaterThanOrEqual(25);

    const brokenEvents = await jobEvents(broken.name);
    expect(brokenEvents.map((e) => e.type)).toEqual(["job.started", "job.failed"]);
    expect(brokenEvents[1].payload).toMatchObject({ job: broken.name, run_id: brokenEvents[0].payload.run_id, error: "disk full" });
    expect(await row(broken.name)).toMatchObject({ last_status: "failed", last_error: "disk full", lease_owner: null, lease_until: null });
  });

  it("the interval follows its default (settings/env) every cycle; an admin override wins", async () => {
    let defaultSeconds = 600;
    let runs = 0;
    const job = fakeJob({ intervalSeconds: () => defaultSeconds, run: async () => ++runs });
    const t0 = Date.now();
    let now = new Date(t0);
    const s = new Scheduler({ ownerId: "w1", jobs: [job], now: () => now });
    await cycle(s);
    expect(await row(job.name)).toMatchObject({ interval_seconds: 600, next_run_at: new Date(t0 + 600_000) });

    // The setting changes to 60 s: the next run counts from the last start, so it is due now.
    defaultSeconds = 60;
    now = new Date(t0 + 61_000);
    expect(await cycle(s)).toEqual([job.name]);
    expect(await row(job.name)).toMatchObject({ interval_seconds: 60, next_run_at: new Date(t0 + 121_000) });

    await db.setting.upsert({
      where: { key: JOB_INTERVALS_SETTING },
      create: { key: JOB_INTERVALS_SETTING, value: { [job.name]: 1200 } },
      update: { value: { [job.name]: 1200 } },
    });
    now = new Date(t0 + 130_000);
    expect(await cycle(s)).toEqual([]);
    expect(await row(job.name)).toMatchObject({ interval_seconds: 1200, next_run_at: new Date(t0 + 61_000 + 1_200_000) });
    expect(runs).toBe(2);
    await db.setting.delete({ where: { key: JOB_INTERVALS_SETTING } });
  });
});

describe("leases", () => {
  it("two schedulers never run the same job at the same time", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    // Each run lasts until the round's checks are done (a fixed sleep ended early on a busy machine,
    // and the job was then rightly due again).
    let finishRun = () => {};
    let finished = Promise.resolve();
    const job = fakeJob({
      intervalSeconds: () => 3600,
      run: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        runs += 1;
        await finished;
        concurrent -= 1;
      },
    });
    const a = new Scheduler({ ownerId: "worker-a", jobs: [job] });
    const b = new Scheduler({ ownerId: "worker-b", jobs: [job] });
    for (let round = 0; round < 10; round++) {
      finished = new Promise<void>((resolve) => (finishRun = resolve));
      // Round 0: the first start; then the run requested during the previous round's run.
      expect([...(await Promise.all([a.tick(), b.tick()])).flat()]).toEqual([job.name]);
      // "Run now" pressed while it runs makes it due again: only the lease keeps both off it.
      await db.job.update({ where: { name: job.name }, data: { run_requested_at: new Date(), run_requested_by: "test" } });
      expect([...(await a.tick()), ...(await b.tick())]).toEqual([]);
      finishRun();
      await Promise.all([a.settle(), b.settle()]);
    }
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(10);
    expect((await jobEvents(job.name)).filter((e) => e.type === "job.started")).toHaveLength(10);
  });

  it("with both schedulers ticking on their own timers, a job longer than its interval never overlaps itself", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const job = fakeJob({
      intervalSeconds: () => 1,
      run: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        runs += 1;
        await sleep(1300);
        concurrent -= 1;
      },
    });
    const a = new Scheduler({ ownerId: "timer-a", jobs: [job], tickMs: 20 });
    const b = new Scheduler({ ownerId: "timer-b", jobs: [job], tickMs: 20 });
    a.start();
    b.start();
    await sleep(2600);
    await Promise.all([a.stop(), b.stop()]);
    expect(maxConcurrent).toBe(1);
    // Due again at 1 s while still running: the next run starts when the first ends (1.3 s).
    expect(runs).toBe(2);
  });

  it("a lease held by a dead owner expires and another scheduler takes over", async () => {
    let runs = 0;
    const job = fakeJob({ run: async () => ++runs });
    const t0 = Date.now();
    await db.job.create({
      data: {
        name: job.name,
        interval_seconds: 300,
        next_run_at: new Date(t0 - 1000),
        last_started_at: new Date(t0 - 30_000),
        lease_owner: "dead-worker",
        lease_until: new Date(t0 + 30_000),
      },
    });
    let now = new Date(t0);
    const survivor = new Scheduler({ ownerId: "survivor", jobs: [job], now: () => now });
    expect(await cycle(survivor)).toEqual([]);
    now = new Date(t0 + 29_000);
    expect(await cycle(survivor)).toEqual([]);
    now = new Date(t0 + 31_000);
    expect(await cycle(survivor)).toEqual([job.name]);
    expect(runs).toBe(1);
    const [started] = await jobEvents(job.name);
    expect(started.payload).toMatchObject({ took_over_from: "dead-worker" });
    expect(await row(job.name)).toMatchObject({ lease_owner: null, lease_until: null, last_status: "completed" });
  });

  it("a long job renews its lease; a run requested meanwhile waits for it, then runs", async () => {
    let runs = 0;
    const job = fakeJob({
      leaseMs: 300,
      run: async () => {
        runs += 1;
        await sleep(1200);
      },
    });
    const a = new Scheduler({ ownerId: "long-a", jobs: [job] });
    const b = new Scheduler({ ownerId: "long-b", jobs: [job] });
    expect(await a.tick()).toEqual([job.name]);
    await db.job.update({ where: { name: job.name }, data: { run_requested_at: new Date(), run_requested_by: "admin" } });
    for (let i = 0; i < 10; i++) {
      await sleep(100);
      // Well past the 300 ms lease, still held: renewed every 100 ms.
      expect(await b.tick()).toEqual([]);
    }
    expect((await row(job.name)).lease_owner).toBe("long-a");
    await a.settle();
    expect(await cycle(b)).toEqual([job.name]);
    expect(runs).toBe(2);
    const started = (await jobEvents(job.name)).filter((e) => e.type === "job.started");
    expect(started[1].payload).toMatchObject({ trigger: "manual", requested_by: "admin" });
  });
});

describe("stopping", () => {
  it("waits for a running job, which records its result and releases its lease", async () => {
    const job = fakeJob({
      run: async () => {
        await sleep(200);
        return { finished: true };
      },
    });
    const s = new Scheduler({ ownerId: "stopper", jobs: [job] });
    expect(await s.tick()).toEqual([job.name]);
    const outcomes = await s.stop({ timeoutMs: 5000 });
    expect(outcomes).toMatchObject([{ job: job.name, status: "completed", result: { finished: true } }]);
    expect(await row(job.name)).toMatchObject({ last_status: "completed", lease_owner: null, lease_until: null });
    expect(await s.tick()).toEqual([]);
  });

  it("a job still running after the wait is aborted, recorded as interrupted and released to run again", async () => {
    let seen: JobRunContext["signal"] | null = null;
    const job = fakeJob({
      run: async ({ signal }) => {
        seen = signal;
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        await sleep(50);
        return { late: true };
      },
    });
    const s = new Scheduler({ ownerId: "impatient", jobs: [job] });
    await s.tick();
    const outcomes = await s.stop({ timeoutMs: 100 });
    expect(outcomes).toMatchObject([{ job: job.name, status: "interrupted" }]);
    expect(seen!.aborted).toBe(true);
    const r = await row(job.name);
    expect(r).toMatchObject({ last_status: "interrupted", lease_owner: null, lease_until: null });
    expect(r.next_run_at.getTime()).toBeLessThanOrEqual(Date.now());
    await sleep(150);
    // The run's own late ending records nothing more.
    expect((await jobEvents(job.name)).map((e) => e.type)).toEqual(["job.started", "job.failed"]);
    expect((await jobEvents(job.name))[1].payload.error).toMatch(/Interrupted/);
  });
});

describe("event triggers", () => {
  it("trigger events from any process request one debounced run", async () => {
    let runs = 0;
    const job = fakeJob({ intervalSeconds: () => 3600, runAfterEvents: { types: ["sync.*"], debounceMs: 2000 }, run: async () => ++runs });
    const t0 = Date.now();
    let now = new Date(t0);
    const s = new Scheduler({ ownerId: "watcher", jobs: [job], now: () => now });
    expect(await cycle(s)).toEqual([job.name]); // first start
    const emit = (n: number) =>
      mutate(systemContext("web", "web"), async (m) => void (await m.emit("sync.requested", { requested_at: `burst-${n}` })));
    for (let i = 0; i < 5; i++) await emit(i);
    now = new Date(t0 + 500);
    expect(await cycle(s)).toEqual([]);
    await emit(5);
    now = new Date(t0 + 1500);
    expect(await cycle(s)).toEqual([]);
    now = new Date(t0 + 3000);
    expect(await cycle(s)).toEqual([]); // 1.5 s quiet: not yet
    now = new Date(t0 + 3600);
    expect(await cycle(s)).toEqual([job.name]);
    now = new Date(t0 + 8000);
    expect(await cycle(s)).toEqual([]);
    expect(runs).toBe(2);
    const started = (await jobEvents(job.name)).filter((e) => e.type === "job.started");
    expect(started[1].payload).toMatchObject({ trigger: "event", requested_by: "event:sync.requested" });
  });
});

describe("admin API", () => {
  const list = (headers: Record<string, string> = p.headers.admin) => call(listRoute.GET, { path: "/api/admin/jobs", headers });
  const patch = (name: string, body: object, headers: Record<string, string> = p.headers.admin) =>
    call(jobRoute.PATCH, { method: "PATCH", path: `/api/admin/jobs/${name}`, params: { name }, headers, body });
  const runNow = (name: string, headers: Record<string, string> = p.headers.admin) =>
    call(runRoute.POST, { method: "POST", path: `/api/admin/jobs/${name}/run`, params: { name }, headers });

  it("run now is picked up by a running worker within about a second", async () => {
    const s = new Scheduler({ ownerId: "worker", jobs: [housekeepingJob] });
    await cycle(s); // its first run at start
    s.start();
    try {
      const before = (await db.event.aggregate({ _max: { id: true } }))._max.id ?? 0;
      const asked = Date.now();
      const res = await runNow("housekeeping");
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ success: true, job: { name: "housekeeping", state: "requested", run_requested_by: "admin" } });
      let completed = null;
      while (!completed && Date.now() - asked < 5000) {
        completed = await db.event.findFirst({ where: { type: "job.completed", id: { gt: before } } });
        if (!completed) await sleep(25);
      }
      expect(completed).not.toBeNull();
      expect(Date.now() - asked).toBeLessThan(1800);
      const started = await db.event.findFirstOrThrow({ where: { type: "job.started", id: { gt: before } } });
      expect(started.payload).toMatchObject({ job: "housekeeping", trigger: "manual", requested_by: "admin" });
      expect(await db.event.count({ where: { type: "job.run_requested", id: { gt: before } } })).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it("lists every registered job with state, interval, next run, last result and duration (admin only)", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.json.jobs.map((j: { name: string }) => j.name)).toEqual(registeredJobs().map((j) => j.name));
    const hk = res.json.jobs.find((j: { name: string }) => j.name === "housekeeping");
    expect(hk).toMatchObject({
      enabled: true,
      state: "scheduled",
      interval_seconds: 3600,
      interval_source: "default",
      last_status: "completed",
      last_error: null,
    });
    expect(typeof hk.last_duration_ms).toBe("number");
    expect(Date.parse(hk.next_run_at)).toBeGreaterThan(Date.now());
    expect(res.json.jobs.find((j: { name: string }) => j.name === "stock-alerts")).toMatchObject({
      interval_seconds: 3600,
      next_run_at: null,
      last_status: null,
    });
    expect((await list(p.headers.operator)).status).toBe(403);
    expect((await list(p.headers.apiKey)).status).toBe(401);
  });

  it("PATCH sets an interval override (and null returns to the default), audited with job.updated", async () => {
    expect((await patch("stock-alerts", { interval_seconds: 600 }, p.headers.operator)).status).toBe(403);
    expect((await patch("stock-alerts", { interval_seconds: 5 })).status).toBe(400);
    expect((await patch("stock-alerts", {})).status).toBe(400);
    expect((await patch("no-such-job", { enabled: false })).status).toBe(404);

    const set = await patch("stock-alerts", { interval_seconds: 600 });
    expect(set.status).toBe(200);
    expect(set.json.job).toMatchObject({
      name: "stock-alerts",
      interval_seconds: 600,
      default_interval_seconds: 3600,
      interval_source: "override",
    });
    expect((await row("stock-alerts")).interval_seconds).toBe(600);
    const updated = await db.event.findFirstOrThrow({ where: { type: "job.updated" }, orderBy: { id: "desc" } });
    expect(updated).toMatchObject({
      actor: "admin",
      payload: { job: "stock-alerts", changed_fields: ["interval_seconds"], interval_seconds: 600, interval_source: "override" },
    });
    expect(await db.auditLog.findFirst({ where: { entity: "job", entity_id: "stock-alerts", field: "interval_seconds" } })).toMatchObject({
      old: "3600",
      new: "600",
    });
    // The worker keeps the override.
    const s = new Scheduler({
      ownerId: "w",
      jobs: registeredJobs()
        .filter((j) => j.name === "stock-alerts")
        .map((j) => ({ ...j, run: async () => null })),
    });
    await cycle(s);
    expect((await row("stock-alerts")).interval_seconds).toBe(600);

    const reset = await patch("stock-alerts", { interval_seconds: null });
    expect(reset.json.job).toMatchObject({ interval_seconds: 3600, interval_source: "default" });
    const again = await patch("stock-alerts", { interval_seconds: null });
    expect(again.status).toBe(200);
  });

  it("a disabled job does not run, scheduled or requested; enabled again it runs once", async () => {
    let runs = 0;
    const learning = { ...centrifugeLearningJob, run: async (ctx: JobRunContext) => (runs++, centrifugeLearningJob.run(ctx)) };
    const off = await patch("centrifuge-learning", { enabled: false });
    expect(off.json.job).toMatchObject({ enabled: false, state: "disabled" });
    const s = new Scheduler({ ownerId: "w", jobs: [learning] });
    expect(await cycle(s)).toEqual([]);
    const refused = await runNow("centrifuge-learning");
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe("job_disabled");
    expect(await cycle(s)).toEqual([]);
    expect(runs).toBe(0);

    await patch("centrifuge-learning", { enabled: true });
    expect(await cycle(s)).toEqual(["centrifuge-learning"]);
    expect(await cycle(s)).toEqual([]);
    expect(runs).toBe(1);
    expect((await jobEvents("centrifuge-learning")).at(-1)).toMatchObject({
      type: "job.completed",
      payload: { result: { success: true, outcomes_processed: 0 } },
    });
  });
});

describe("testing alerts", () => {
  const ctx = systemContext("operator", "web");
  const HOUR = 3_600_000;
  const overdueEvents = async (batchId: string) =>
    (await db.event.findMany({ where: { type: "batch.testing_overdue" }, orderBy: { id: "asc" } })).filter(
      (e) => (e.payload as { batch_id: string }).batch_id === batchId,
    );
  async function batchInTesting(hoursAgo: number, extra: { archived?: boolean } = {}) {
    const b = await createBatch(ctx, buildBatch({ input_grams: 1000 }));
    await changeBatchStage(ctx, b.id, 4);
    return db.batch.update({ where: { id: b.id }, data: { stage_entered_at: new Date(Date.now() - hoursAgo * HOUR), ...extra } });
  }

  it("alert once per crossing of test_alert_hours: again only after the batch left stage 4 and came back", async () => {
    const late = await batchInTesting(49);
    const recent = await batchInTesting(10);
    const archived = await batchInTesting(100, { archived: true });
    const t0 = Date.now();
    let now = new Date(t0);
    const s = new Scheduler({ ownerId: "w", jobs: [testingAlertsJob], now: () => now });

    expect(await cycle(s)).toEqual(["testing-alerts"]);
    const first = await overdueEvents(late.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      actor: "worker",
      payload: { strain: late.strain, threshold_hours: 48, stage_entered_at: late.stage_entered_at.toISOString() },
    });
    expect((first[0].payload as { hours_in_stage: number }).hours_in_stage).toBeCloseTo(49, 0);
    expect(await overdueEvents(recent.id)).toHaveLength(0);
    expect(await overdueEvents(archived.id)).toHaveLength(0);

    // Every 30 minutes, for a few hours: nothing new.
    for (let i = 1; i <= 6; i++) {
      now = new Date(t0 + i * 30 * 60_000);
      expect(await cycle(s)).toEqual(["testing-alerts"]);
    }
    expect(await overdueEvents(late.id)).toHaveLength(1);
    expect((await jobEvents("testing-alerts")).at(-1)!.payload.result).toMatchObject({ overdue: 1, alerted: [], already_alerted: 1 });

    // Results were wrong: back to stage 4 for a retest. A new stay, a new alert after 48 h.
    await changeBatchStage(ctx, late.id, 5);
    await changeBatchStage(ctx, late.id, 4);
    now = new Date(now.getTime() + 30 * 60_000);
    await cycle(s);
    expect(await overdueEvents(late.id)).toHaveLength(1);
    now = new Date(t0 + 52 * HOUR);
    await cycle(s);
    expect(await overdueEvents(late.id)).toHaveLength(2);
    expect(await overdueEvents(recent.id)).toHaveLength(1); // 62 h in testing by now
    now = new Date(now.getTime() + 30 * 60_000);
    await cycle(s);
    expect(await overdueEvents(late.id)).toHaveLength(2);
    expect(await overdueEvents(recent.id)).toHaveLength(1);
  });
});
