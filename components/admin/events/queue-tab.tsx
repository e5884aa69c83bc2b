"use client";

import { useId, useState } from "react";
import {
  useCancelDelivery,
  useDeliveries,
  useDelivery,
  useRetryDelivery,
  useSubscribers,
  type DeliveryRow,
} from "@/lib/client/event-system";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { formatDateTime } from "@/components/admin/format";
import { JsonView, StatusBadge, inputClass, labelClass } from "@/components/admin/events/shared";

const STATUSES = ["pending", "processing", "failed", "dead", "completed", "cancelled"] as const;
const RETRYABLE = new Set(["failed", "dead", "cancelled", "completed"]);
const CANCELLABLE = new Set(["pending", "failed"]);

/** Queue: deliveries by status (with counts), by subscriber; attempt log, retry, cancel. */
export function QueueTab() {
  const [status, setStatus] = useState<string>("");
  const [subscriberId, setSubscriberId] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
  const subscriberSelect = useId();
  const subscribers = useSubscribers();
  const deliveries = useDeliveries({ status: status || undefined, subscriber_id: subscriberId || undefined });
  const counts = deliveries.data?.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;

  return (
    <section aria-labelledby="queue-heading" className="space-y-4">
      <h2 id="queue-heading" className="sr-only">
        Delivery queue
      </h2>
      <div className="flex flex-wrap items-end gap-4">
        <div role="group" aria-label="Delivery status" className="flex flex-wrap gap-2">
          <FilterButton pressed={status === ""} onClick={() => setStatus("")} label="All" count={total} />
          {STATUSES.map((s) => (
            <FilterButton key={s} pressed={status === s} onClick={() => setStatus(s)} label={s} count={counts?.[s] ?? null} />
          ))}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={subscriberSelect} className={labelClass}>
            Subscriber
          </label>
          <select id={subscriberSelect} value={subscriberId} onChange={(e) => setSubscriberId(e.target.value)} className={inputClass}>
            <option value="">All subscribers</option>
            {subscribers.data?.subscribers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </div>

      {deliveries.isPending && (
        <Loading label="Loading deliveries">
          <Skeleton className="h-64" />
        </Loading>
      )}
      {deliveries.isError && (
        <ErrorState title="Could not load the delivery queue" error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      )}
      {deliveries.data && deliveries.data.deliveries.length === 0 && (
        <EmptyState title={status ? `No ${status} deliveries` : "No deliveries yet"}>
          Deliveries appear when an event matches a subscriber. Add one on the Subscribers tab and press “Send test event”.
        </EmptyState>
      )}
      {deliveries.data && deliveries.data.deliveries.length > 0 && (
        <div className="overflow-x-auto rounded-2xl border border-neutral-800">
          <table className="w-full text-left">
            <caption className="sr-only">Deliveries, newest first</caption>
            <thead className="bg-neutral-900 text-sm text-neutral-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Created
                </th>
                <th scope="col" className="px-3 py-2">
                  Event
                </th>
                <th scope="col" className="px-3 py-2">
                  Subscriber
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Attempts
                </th>
                <th scope="col" className="px-3 py-2">
                  Last result
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.deliveries.map((d) => (
                <DeliveryTableRow key={d.id} delivery={d} onOpen={() => setOpenId(d.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DeliveryDialog id={openId} onClose={() => setOpenId(null)} />
    </section>
  );
}

function FilterButton({ pressed, onClick, label, count }: { pressed: boolean; onClick: () => void; label: string; count: number | null }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={`min-h-11 rounded-lg px-3 font-semibold capitalize focus-visible:outline-3 focus-visible:outline-sky-400 ${
        pressed ? "bg-green-800 text-white" : "bg-neutral-800 text-neutral-200 hover:bg-neutral-700"
      }`}
    >
      {label}
      {count !== null && <span className="ml-2 tabular-nums">{count}</span>}
    </button>
  );
}

function DeliveryActions({ delivery: d, compact = false }: { delivery: Pick<DeliveryRow, "id" | "status">; compact?: boolean }) {
  const retry = useRetryDelivery();
  const cancel = useCancelDelivery();
  return (
    <div className={`flex gap-2 ${compact ? "justify-end" : "flex-wrap"}`}>
      {RETRYABLE.has(d.status) && (
        <Button
          busy={retry.isPending}
          onClick={() =>
            retry.mutate(d.id, {
              onSuccess: () => toast.success("Delivery queued for an immediate attempt"),
              onError: (e) => toast.error(e.message),
            })
          }
        >
          Retry
        </Button>
      )}
      {CANCELLABLE.has(d.status) && (
        <Button
          variant="danger"
          busy={cancel.isPending}
          onClick={() =>
            cancel.mutate(d.id, { onSuccess: () => toast.success("Delivery cancelled"), onError: (e) => toast.error(e.message) })
          }
        >
          Cancel
        </Button>
      )}
    </div>
  );
}

function DeliveryTableRow({ delivery: d, onOpen }: { delivery: DeliveryRow; onOpen: () => void }) {
  return (
    <tr className="border-t border-neutral-800 align-top">
      <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(d.created_at)}</td>
      <td className="px-3 py-2 font-mono text-sm">
        {d.event_type ?? "—"} <span className="text-neutral-300">#{d.event_id}</span>
      </td>
      <td className="px-3 py-2">{d.subscriber_name ?? d.subscriber_id}</td>
      <td className="px-3 py-2">
        <StatusBadge status={d.status} />
        {(d.status === "failed" || d.status === "pending") && d.attempts > 0 && (
          <div className="mt-1 text-sm text-neutral-300">next {formatDateTime(d.next_attempt_at)}</div>
        )}
      </td>
      <td className="px-3 py-2 tabular-nums">{d.attempts}</td>
      <td className="max-w-xs px-3 py-2 text-sm">
        {d.last_status_code !== null && <span className="font-mono">HTTP {d.last_status_code}</span>}
        {/* "HTTP 500" says nothing the status code does not. */}
        {d.last_error && d.last_error !== `HTTP ${d.last_status_code}` && <p className="break-words text-orange-200">{d.last_error}</p>}
        {d.last_status_code === null && !d.last_error && "—"}
      </td>
      <td className="px-3 py-2">
        <div className="flex justify-end gap-2">
          <Button onClick={onOpen}>Attempts</Button>
          <DeliveryActions delivery={d} compact />
        </div>
      </td>
    </tr>
  );
}

/** One delivery: its event (payload), and the attempt log with status, response excerpt, duration. */
function DeliveryDialog({ id, onClose }: { id: string | null; onClose: () => void }) {
  const detail = useDelivery(id);
  const d = detail.data?.delivery;
  return (
    <Dialog
      open={!!id}
      onOpenChange={(open) => !open && onClose()}
      title={d ? `Delivery of ${d.event_type ?? "event"} to ${d.subscriber_name ?? d.subscriber_id}` : "Delivery"}
      className="max-h-[90vh] w-[min(96vw,60rem)] overflow-y-auto"
    >
      {detail.isPending && (
        <Loading label="Loading the delivery">
          <Skeleton className="h-40" />
        </Loading>
      )}
      {detail.isError && <ErrorState title="Could not load the delivery" error={detail.error} onRetry={() => void detail.refetch()} />}
      {d && (
        <div className="space-y-4">
          <div className="flex flex-wrap items-center gap-3">
            <StatusBadge status={d.status} />
            <span className="text-neutral-300">
              {d.attempts} attempt{d.attempts === 1 ? "" : "s"} · created {formatDateTime(d.created_at)}
              {d.completed_at ? ` · completed ${formatDateTime(d.completed_at)}` : ""}
            </span>
            <DeliveryActions delivery={d} />
          </div>
          <section aria-labelledby="attempt-log-heading">
            <h3 id="attempt-log-heading" className="mb-2 text-lg font-semibold text-green-400">
              Attempt log
            </h3>
            {d.attempt_log.length === 0 ? (
              <p className="text-neutral-300">No attempt yet: the worker picks due deliveries up within a second.</p>
            ) : (
              <div className="overflow-x-auto rounded-xl border border-neutral-800">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">Attempts, oldest first</caption>
                  <thead className="bg-neutral-900 text-neutral-300">
                    <tr>
                      <th scope="col" className="px-2 py-1">
                        #
                      </th>
                      <th scope="col" className="px-2 py-1">
                        Started
                      </th>
                      <th scope="col" className="px-2 py-1">
                        Trigger
                      </th>
                      <th scope="col" className="px-2 py-1">
                        Status
                      </th>
                      <th scope="col" className="px-2 py-1">
                        Duration
                      </th>
                      <th scope="col" className="px-2 py-1">
                        Response / error
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.attempt_log.map((a) => (
                      <tr key={a.attempt_number} className="border-t border-neutral-800 align-top">
                        <td className="px-2 py-1 tabular-nums">{a.attempt_number}</td>
                        <td className="px-2 py-1 whitespace-nowrap">{formatDateTime(a.started_at)}</td>
                        <td className="px-2 py-1">{a.trigger}</td>
                        <td className="px-2 py-1 font-mono">{a.status_code !== null ? `HTTP ${a.status_code}` : "no response"}</td>
                        <td className="px-2 py-1 tabular-nums">{a.duration_ms !== null ? `${a.duration_ms} ms` : "—"}</td>
                        <td className="max-w-md px-2 py-1">
                          {a.response_excerpt && <code className="break-all text-neutral-200">{a.response_excerpt}</code>}
                          {a.error && <p className="text-orange-200">{a.error}</p>}
                          {!a.response_excerpt && !a.error && "—"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="delivery-event-heading">
            <h3 id="delivery-event-heading" className="mb-2 text-lg font-semibold text-green-400">
              Event #{d.event.id} <span className="text-base font-normal text-neutral-300">trace {d.event.trace_id}</span>
            </h3>
            <JsonView value={d.event.payload} label={`Payload of event ${d.event.id}`} />
          </section>
        </div>
      )}
    </Dialog>
  );
}
