"use client";

import { useState } from "react";
import { useEventLog, type EventLogEntry } from "@/lib/client/event-system";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { formatDateTime } from "@/components/admin/format";
import { JsonView, localToIso } from "@/components/admin/events/shared";

interface SearchForm {
  type: string;
  since: string;
  until: string;
  trace_id: string;
  q: string;
}

const EMPTY: SearchForm = { type: "", since: "", until: "", trace_id: "", q: "" };

/** Event log: search by type glob, time range, trace id and payload text; payload viewer; older pages. */
export function EventLogTab() {
  const [form, setForm] = useState<SearchForm>(EMPTY);
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<EventLogEntry | null>(null);
  const log = useEventLog(filter);

  function search(e: React.FormEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (form.type.trim()) next.type = form.type.trim();
    const since = localToIso(form.since);
    const until = localToIso(form.until);
    if (since) next.since = since;
    if (until) next.until = until;
    if (form.trace_id.trim()) next.trace_id = form.trace_id.trim();
    if (form.q.trim()) next.q = form.q.trim();
    setSelected(null);
    setFilter(next);
  }

  const set = (key: keyof SearchForm) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));

  return (
    <section aria-labelledby="event-log-heading" className="space-y-4">
      <h2 id="event-log-heading" className="sr-only">
        Event log
      </h2>
      <form
        role="search"
        aria-label="Search events"
        onSubmit={search}
        className="grid gap-3 rounded-2xl border border-neutral-800 bg-neutral-900 p-4 md:grid-cols-3 xl:grid-cols-6"
      >
        <Field label="Type" placeholder="batch.* or test.ping" value={form.type} onChange={set("type")} inputClassName="text-base" />
        <Field label="From" type="datetime-local" value={form.since} onChange={set("since")} inputClassName="text-base" />
        <Field label="To" type="datetime-local" value={form.until} onChange={set("until")} inputClassName="text-base" />
        <Field label="Trace id" value={form.trace_id} onChange={set("trace_id")} inputClassName="text-base" />
        <Field label="Payload contains" value={form.q} onChange={set("q")} inputClassName="text-base" />
        <div className="flex items-end gap-2">
          <Button type="submit" variant="primary">
            Search
          </Button>
          <Button
            onClick={() => {
              setForm(EMPTY);
              setFilter({});
              setSelected(null);
            }}
          >
            Clear
          </Button>
        </div>
      </form>

      {log.isPending && (
        <Loading label="Loading events">
          <Skeleton className="h-64" />
        </Loading>
      )}
      {log.isError && <ErrorState title="Could not search the event log" error={log.error} onRetry={() => void log.refetch()} />}
      {log.data && log.data.events.length === 0 && (
        <EmptyState title="No events match">Widen the time range or use a glob such as finished_good.* for the type.</EmptyState>
      )}
      {log.data && log.data.events.length > 0 && (
        <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
          <div className="overflow-x-auto rounded-2xl border border-neutral-800">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Events, newest first</caption>
              <thead className="bg-neutral-900 text-neutral-300">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    #
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Time
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Type
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Actor
                  </th>
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Payload</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {log.data.events.map((e) => (
                  <tr key={e.id} className={`border-t border-neutral-800 ${selected?.id === e.id ? "bg-neutral-800" : ""}`}>
                    <td className="px-3 py-2 tabular-nums">{e.id}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(e.metadata.timestamp)}</td>
                    <td className="px-3 py-2 font-mono">{e.type}</td>
                    <td className="px-3 py-2">{e.metadata.actor}</td>
                    <td className="px-3 py-2 text-right">
                      <Button aria-pressed={selected?.id === e.id} onClick={() => setSelected(e)} aria-label={`Payload of event ${e.id}`}>
                        Payload
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {log.data.next_before_id !== null && (
              <div className="border-t border-neutral-800 p-3">
                <Button onClick={() => setFilter((f) => ({ ...f, before_id: String(log.data.next_before_id) }))}>Older events</Button>
              </div>
            )}
          </div>
          <aside
            aria-label="Payload viewer"
            className="space-y-2 self-start rounded-2xl xl:sticky xl:top-4 border border-neutral-800 bg-neutral-900 p-4"
          >
            {selected ? (
              <>
                <h3 className="text-lg font-semibold">
                  Event #{selected.id} <span className="font-mono text-base text-neutral-300">{selected.type}</span>
                </h3>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                  <dt className="text-neutral-300">Trace id</dt>
                  <dd className="break-all font-mono">
                    <button
                      type="button"
                      className="underline decoration-dotted hover:text-green-300"
                      onClick={() => {
                        setForm({ ...EMPTY, trace_id: selected.metadata.traceId });
                        setFilter({ trace_id: selected.metadata.traceId });
                      }}
                    >
                      {selected.metadata.traceId}
                    </button>
                  </dd>
                  <dt className="text-neutral-300">Source</dt>
                  <dd>{selected.metadata.source}</dd>
                  <dt className="text-neutral-300">Actor</dt>
                  <dd>{selected.metadata.actor}</dd>
                </dl>
                <JsonView value={selected.payload} label={`Payload of event ${selected.id}`} />
              </>
            ) : (
              <p className="text-neutral-300">Choose “Payload” on an event to see it here.</p>
            )}
          </aside>
        </div>
      )}
    </section>
  );
}
