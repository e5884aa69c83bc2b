"use client";

import dynamic from "next/dynamic";
import { useEventSystemStatus, useJobs, useRunJob, type JobView } from "@/lib/client/event-system";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { formatDateTime, formatSeconds } from "@/components/admin/format";
import { StatusBadge } from "@/components/admin/events/shared";

// recharts only when this tab opens (admin-only, but still the page's heaviest part).
const ThroughputChart = dynamic(() => import("@/components/admin/events/throughput-chart").then((m) => m.ThroughputChart), {
  ssr: false,
  loading: () => <Skeleton className="h-56" />,
});

/** Service status: worker heartbeat, relay lag, deliveries per minute, failures, jobs with run-now. */
export function ServiceStatusTab() {
  const status = useEventSystemStatus();
  const jobs = useJobs();
  if (status.isPending)
    return (
      <Loading label="Loading service status">
        <Skeleton className="h-28" />
        <Skeleton className="mt-4 h-56" />
      </Loading>
    );
  if (status.isError)
    return <ErrorState title="Could not load the service status" error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  const alive = !!s.worker && s.worker.heartbeat_age_seconds <= 60;

  return (
    <div className="space-y-4">
      {!alive && (
        <p role="alert" className="rounded-xl border border-red-800 bg-red-950/60 px-3 py-2 text-red-200">
          {s.worker
            ? `The worker has not reported for ${formatSeconds(s.worker.heartbeat_age_seconds)}: deliveries and jobs are not running.`
            : "No worker has ever reported: start it with npm start (or npm start -- --worker-only)."}
        </p>
      )}
      <Card aria-labelledby="service-heading">
        <CardTitle>
          <span id="service-heading">Service</span>
        </CardTitle>
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Stat
            label="Worker heartbeat"
            value={s.worker ? `${formatSeconds(s.worker.heartbeat_age_seconds)} ago` : "never"}
            hint={s.worker ? `${alive ? "alive" : "not alive"} · started ${formatDateTime(s.worker.started_at)}` : undefined}
          />
          <Stat
            label="Relay lag"
            value={`${s.relay.lag_events} event${s.relay.lag_events === 1 ? "" : "s"}`}
            hint={`${formatSeconds(s.relay.lag_seconds)} behind · at #${s.relay.position} of #${s.relay.latest_event_id}`}
          />
          <Stat
            label="Deliveries per minute"
            value={s.deliveries.per_minute_average}
            hint={`${s.deliveries.completed_last_10_min} completed in 10 min`}
          />
          <Stat
            label="Failed attempts, last hour"
            value={s.failures.last_hour}
            hint={`${s.failures.per_hour_last_24_h.reduce((a, b) => a + b, 0)} in 24 h · oldest due ${formatSeconds(s.deliveries.oldest_due_seconds)}`}
          />
        </dl>
        {s.workers.length > 1 && (
          <ul className="mt-3 space-y-1 text-sm text-neutral-300">
            {s.workers.map((w) => (
              <li key={w.id}>
                Worker {w.id}: {w.alive ? "alive" : "not alive"}, last heartbeat {formatSeconds(w.heartbeat_age_seconds)} ago
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card aria-labelledby="throughput-heading">
        <CardTitle>
          <span id="throughput-heading">Completed deliveries per minute, last 10 minutes</span>
        </CardTitle>
        <ThroughputChart perMinute={s.deliveries.per_minute_last_10_min} generatedAt={s.generated_at} />
      </Card>
      <JobsSection jobs={jobs} />
    </div>
  );
}

function JobsSection({ jobs }: { jobs: ReturnType<typeof useJobs> }) {
  return (
    <section aria-labelledby="jobs-heading" className="space-y-3">
      <h2 id="jobs-heading" className="text-xl font-semibold text-green-400">
        Jobs
      </h2>
      {jobs.isPending && <Skeleton className="h-40" />}
      {jobs.isError && <ErrorState title="Could not load the jobs" error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.data && (
        <div className="overflow-x-auto rounded-2xl border border-neutral-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Background jobs</caption>
            <thead className="bg-neutral-900 text-neutral-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Job
                </th>
                <th scope="col" className="px-3 py-2">
                  State
                </th>
                <th scope="col" className="px-3 py-2">
                  Every
                </th>
                <th scope="col" className="px-3 py-2">
                  Last result
                </th>
                <th scope="col" className="px-3 py-2">
                  Next run
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Run now</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.jobs.map((j) => (
                <JobRow key={j.name} job={j} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function JobRow({ job: j }: { job: JobView }) {
  const run = useRunJob();
  return (
    <tr className="border-t border-neutral-800 align-top">
      <td className="px-3 py-2">
        <div className="font-mono font-semibold">{j.name}</div>
        <div className="text-neutral-300">{j.description}</div>
      </td>
      <td className="px-3 py-2">
        <StatusBadge status={j.state} />
      </td>
      <td className="px-3 py-2 whitespace-nowrap">{formatSeconds(j.interval_seconds)}</td>
      <td className="max-w-xs px-3 py-2">
        <StatusBadge status={j.last_status} />
        {j.last_finished_at && (
          <div className="mt-1 text-neutral-300">
            {formatDateTime(j.last_finished_at)}
            {j.last_duration_ms !== null ? ` · ${j.last_duration_ms} ms` : ""}
          </div>
        )}
        {j.last_error && <p className="mt-1 break-words text-orange-200">{j.last_error}</p>}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">{j.enabled ? formatDateTime(j.next_run_at, "at the worker's next tick") : "disabled"}</td>
      <td className="px-3 py-2 text-right">
        <Button
          className="whitespace-nowrap"
          aria-label={`Run now: ${j.name}`}
          disabled={!j.enabled || j.state === "running" || j.state === "requested"}
          busy={run.isPending}
          onClick={() =>
            run.mutate(j.name, {
              onSuccess: () => toast.success(`${j.name} will start within a second`),
              onError: (e) => toast.error(e.message),
            })
          }
        >
          Run now
        </Button>
      </td>
    </tr>
  );
}
