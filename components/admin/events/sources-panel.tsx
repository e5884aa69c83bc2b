"use client";

import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { Plus } from "lucide-react";
import {
  useCreateEventSource,
  useDeleteEventSource,
  useEventSources,
  useInboundEvents,
  usePollNow,
  useReprocessInbound,
  useUpdateEventSource,
  type EventSourceRow,
} from "@/lib/client/event-system";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { formatDateTime, formatSeconds } from "@/components/admin/format";
import { JsonView, StatusBadge, inputClass, labelClass } from "@/components/admin/events/shared";

/** Inbound event sources: remote feeds the worker polls; CRUD, poll now, received events with reprocess. */
export function SourcesPanel() {
  const sources = useEventSources();
  const poll = usePollNow();
  const [creating, setCreating] = useState(false);

  function pollAll() {
    poll.mutate(undefined, {
      onSuccess: (r) => toast.success(`Polled ${r.polled} source${r.polled === 1 ? "" : "s"}: ${r.totals.received} new events`),
      onError: (e) => toast.error(e.message),
    });
  }

  return (
    <section aria-labelledby="sources-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="sources-heading" className="text-xl font-semibold text-green-400">
          Event sources (inbound)
        </h2>
        <div className="flex gap-2">
          {!!sources.data?.sources.length && (
            <Button busy={poll.isPending} onClick={pollAll}>
              Poll all now
            </Button>
          )}
          <Button variant="primary" onClick={() => setCreating(true)}>
            <Plus aria-hidden className="size-5" />
            New event source
          </Button>
        </div>
      </div>
      <p className="max-w-3xl text-neutral-300">
        Remote event feeds polled on their interval; each received event is mapped to a local handler by its type.
      </p>
      {sources.isPending && (
        <Loading label="Loading event sources">
          <Skeleton className="h-24" />
        </Loading>
      )}
      {sources.isError && (
        <ErrorState title="Could not load the event sources" error={sources.error} onRetry={() => void sources.refetch()} />
      )}
      {sources.data && sources.data.sources.length === 0 && (
        <EmptyState title="No event sources">Press “New event source” to poll a remote system&apos;s event feed.</EmptyState>
      )}
      {sources.data && sources.data.sources.length > 0 && (
        <ul className="space-y-3">
          {sources.data.sources.map((s) => (
            <SourceCard key={s.id} source={s} />
          ))}
        </ul>
      )}
      <SourceDialog open={creating} onOpenChange={setCreating} source={null} />
    </section>
  );
}

function SourceCard({ source: s }: { source: EventSourceRow }) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [showEvents, setShowEvents] = useState(false);
  const poll = usePollNow();
  const remove = useDeleteEventSource();
  const headingId = `source-${s.id}`;
  const counts = Object.entries(s.events);

  return (
    <li aria-labelledby={headingId} className="space-y-3 rounded-2xl border border-neutral-800 bg-neutral-900 p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h3 id={headingId} className="text-lg font-semibold">
            {s.name}
          </h3>
          <div className="flex flex-wrap items-center gap-2">
            {s.active ? <Badge tone="green">active</Badge> : <Badge tone="red">paused</Badge>}
            <StatusBadge status={s.last_status} />
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            busy={poll.isPending}
            onClick={() =>
              poll.mutate(s.id, {
                onSuccess: (r) => {
                  const one = r.sources[0];
                  if (one && one.status !== "ok") toast.error(`${s.name}: ${one.error ?? one.status}`);
                  else toast.success(`${s.name}: ${one?.received ?? 0} new events`);
                },
                onError: (e) => toast.error(e.message),
              })
            }
          >
            Poll now
          </Button>
          <Button aria-expanded={showEvents} onClick={() => setShowEvents((v) => !v)}>
            {showEvents ? "Hide received events" : "Received events"}
          </Button>
          <Button onClick={() => setEditing(true)}>Edit</Button>
          <Button variant="danger" onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </div>
      </div>
      {s.last_error && <p className="rounded-xl border border-orange-700 bg-orange-950/60 px-3 py-2 text-orange-200">{s.last_error}</p>}
      <dl className="grid gap-x-6 gap-y-2 text-sm md:grid-cols-3">
        <div>
          <dt className="text-neutral-300">URL</dt>
          <dd className="break-all font-mono">{s.url}</dd>
        </div>
        <div>
          <dt className="text-neutral-300">Polled</dt>
          <dd>
            every {formatSeconds(s.interval_seconds)} · last {formatDateTime(s.last_polled_at, "never")} · next{" "}
            {formatDateTime(s.next_poll_at, "—")}
          </dd>
        </div>
        <div>
          <dt className="text-neutral-300">Received</dt>
          <dd>{counts.length ? counts.map(([status, n]) => `${n} ${status}`).join(" · ") : "nothing yet"}</dd>
        </div>
        <div>
          <dt className="text-neutral-300">Cursor</dt>
          <dd className="font-mono">
            {s.cursor_param}={s.cursor ?? "(start)"}
          </dd>
        </div>
        <div>
          <dt className="text-neutral-300">Type mapping</dt>
          <dd className="break-all font-mono">
            {Object.keys(s.type_mapping).length
              ? Object.entries(s.type_mapping)
                  .map(([k, v]) => `${k} → ${v}`)
                  .join(", ")
              : "none"}
          </dd>
        </div>
        <div>
          <dt className="text-neutral-300">Auth header</dt>
          <dd className="font-mono">{s.auth_header ?? "none"}</dd>
        </div>
      </dl>
      {showEvents && <InboundEvents sourceId={s.id} />}
      <SourceDialog open={editing} onOpenChange={setEditing} source={s} />
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete “${s.name}”?`}
        description="The source and the inbound events stored from it are removed."
        confirmLabel="Delete event source"
        busy={remove.isPending}
        onConfirm={() =>
          remove.mutate(s.id, {
            onSuccess: () => {
              setDeleting(false);
              toast.success(`“${s.name}” deleted`);
            },
            onError: (e) => toast.error(e.message),
          })
        }
      />
    </li>
  );
}

const INBOUND_STATUSES = ["pending", "processed", "failed", "ignored"] as const;

function InboundEvents({ sourceId }: { sourceId: string }) {
  const [status, setStatus] = useState("");
  const events = useInboundEvents({ source: sourceId, status: status || undefined });
  const reprocess = useReprocessInbound();
  const selectId = `inbound-status-${sourceId}`;
  return (
    <section aria-label="Received events" className="space-y-2 border-t border-neutral-800 pt-3">
      <div className="flex items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={selectId} className={labelClass}>
            Status
          </label>
          <select id={selectId} value={status} onChange={(e) => setStatus(e.target.value)} className={inputClass}>
            <option value="">All</option>
            {INBOUND_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {events.isPending && <Skeleton className="h-20" />}
      {events.isError && <ErrorState title="Could not load received events" error={events.error} onRetry={() => void events.refetch()} />}
      {events.data && events.data.events.length === 0 && (
        <p className="text-neutral-300">No received events{status ? ` with status ${status}` : ""}.</p>
      )}
      {events.data && events.data.events.length > 0 && (
        <ul className="space-y-2">
          {events.data.events.map((e) => (
            <li key={e.id} className="rounded-xl border border-neutral-800 p-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <StatusBadge status={e.status} />
                  <span className="font-mono">
                    {e.type}
                    {e.mapped_type ? ` → ${e.mapped_type}` : ""}
                  </span>
                  <span className="text-neutral-300">
                    remote id {e.source_event_id} · received {formatDateTime(e.received_at)}
                  </span>
                </div>
                {e.status !== "processed" && (
                  <Button
                    busy={reprocess.isPending && reprocess.variables === e.id}
                    onClick={() =>
                      reprocess.mutate(e.id, {
                        onSuccess: () => toast.success(`Inbound event ${e.source_event_id} reprocessed`),
                        onError: (err) => toast.error(err.message),
                      })
                    }
                  >
                    Reprocess
                  </Button>
                )}
              </div>
              {e.error && <p className="mt-1 text-sm text-orange-200">{e.error}</p>}
              <details className="mt-2">
                <summary className="cursor-pointer text-sm font-semibold text-neutral-200">Payload</summary>
                <JsonView value={e.payload} label={`Payload of inbound event ${e.source_event_id}`} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface SourceFormValues {
  name: string;
  url: string;
  cursor_param: string;
  limit: number;
  interval_seconds: number;
  type_mapping: string;
  auth_header: string;
  active: boolean;
}

const SOURCE_FIELDS = ["name", "url", "cursor_param", "limit", "interval_seconds", "type_mapping", "auth_header", "active"] as const;

function toSourceValues(s: EventSourceRow | null): SourceFormValues {
  return {
    name: s?.name ?? "",
    url: s?.url ?? "",
    cursor_param: s?.cursor_param ?? "after",
    limit: s?.limit ?? 100,
    interval_seconds: s?.interval_seconds ?? 60,
    type_mapping: s && Object.keys(s.type_mapping).length ? JSON.stringify(s.type_mapping, null, 2) : "",
    auth_header: s?.auth_header ?? "",
    active: s?.active ?? true,
  };
}

/**
 * Create or edit an event source. The rules are the server's (createEventSourceSchema): its
 * module also holds the inbound handlers, so it is not loaded here — a 400's field messages are
 * shown under the fields instead.
 */
function SourceDialog({
  open,
  onOpenChange,
  source,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  source: EventSourceRow | null;
}) {
  const create = useCreateEventSource();
  const update = useUpdateEventSource();
  const { register, handleSubmit, formState, setError, reset } = useForm<SourceFormValues>({ defaultValues: toSourceValues(source) });
  const mappingId = `source-mapping-${source?.id ?? "new"}`;

  useEffect(() => {
    if (open) reset(toSourceValues(source));
  }, [open, source, reset]);

  const submit = handleSubmit((v) => {
    let mapping: Record<string, string> = {};
    if (v.type_mapping.trim()) {
      try {
        mapping = JSON.parse(v.type_mapping) as Record<string, string>;
      } catch (e) {
        setError("type_mapping", { message: `Not valid JSON: ${(e as Error).message}` });
        return;
      }
    }
    const body = {
      name: v.name,
      url: v.url,
      cursor_param: v.cursor_param,
      limit: v.limit,
      interval_seconds: v.interval_seconds,
      type_mapping: mapping,
      // An unchanged (redacted) header is sent back as is: the server keeps the stored one.
      auth_header: v.auth_header.trim() ? v.auth_header.trim() : null,
      active: v.active,
    };
    const onError = (error: Error) => {
      if (!applyServerFieldErrors(error, setError, [...SOURCE_FIELDS])) toast.error(error.message);
    };
    const onSuccess = () => {
      toast.success(`Event source “${v.name}” saved`);
      onOpenChange(false);
    };
    if (source) update.mutate({ id: source.id, body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });

  const e = formState.errors;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={source ? `Edit event source “${source.name}”` : "New event source"}
      className="max-h-[92vh] w-[min(96vw,44rem)] overflow-y-auto"
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" autoComplete="off" error={e.name?.message} {...register("name", { required: "Give the source a name" })} />
          <Field
            label="Feed URL"
            type="url"
            autoComplete="off"
            error={e.url?.message}
            {...register("url", { required: "The feed's URL" })}
          />
          <Field label="Cursor parameter" autoComplete="off" error={e.cursor_param?.message} {...register("cursor_param")} />
          <Field label="Events per page" type="number" error={e.limit?.message} {...register("limit", { valueAsNumber: true })} />
          <Field
            label="Poll every (seconds)"
            type="number"
            error={e.interval_seconds?.message}
            {...register("interval_seconds", { valueAsNumber: true })}
          />
          <Field
            label="Auth header"
            autoComplete="off"
            hint="“X-API-Key: …” or an Authorization value such as “Bearer …”. Shown redacted once saved."
            error={e.auth_header?.message}
            {...register("auth_header")}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={mappingId} className={labelClass}>
            Type mapping (JSON)
          </label>
          <textarea
            id={mappingId}
            rows={3}
            spellCheck={false}
            aria-invalid={e.type_mapping ? true : undefined}
            className={`${inputClass} py-2 font-mono text-sm`}
            placeholder='{"order.*": "apex.order"}'
            {...register("type_mapping")}
          />
          {e.type_mapping && <p className="text-sm text-red-300">{e.type_mapping.message}</p>}
        </div>
        <label className="flex min-h-12 items-center gap-3">
          <input type="checkbox" className="size-5" {...register("active")} />
          <span>Active (polled on its interval)</span>
        </label>
        <div className="flex justify-end gap-3">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending || update.isPending}>
            {source ? "Save event source" : "Create event source"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
