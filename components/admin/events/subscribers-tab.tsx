"use client";

import { useState } from "react";
import { Plus } from "lucide-react";
import {
  useDeleteSubscriber,
  useRecoverSubscriber,
  useRotateSecret,
  useSendTestEvent,
  useSubscribers,
  useUpdateSubscriber,
  type SubscriberRow,
} from "@/lib/client/event-system";
import { OneTimeSecret } from "@/components/auth/one-time-secret";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { formatDateTime } from "@/components/admin/format";
import { SubscriberDialog } from "@/components/admin/events/subscriber-dialog";
import { SourcesPanel } from "@/components/admin/events/sources-panel";
import { JsonView, inputClass, labelClass, localToIso } from "@/components/admin/events/shared";

interface Revealed {
  title: string;
  secret: string;
}

/** Subscribers (CRUD, test event, secret rotation, recover) and, beside them, the inbound event sources. */
export function SubscribersTab() {
  const subscribers = useSubscribers();
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);

  return (
    <div className="space-y-8">
      {revealed && (
        <OneTimeSecret
          key={revealed.secret}
          title={revealed.title}
          secret={revealed.secret}
          testId="webhook-secret"
          onDismiss={() => setRevealed(null)}
        >
          <p className="text-sm text-neutral-200">
            The receiver checks each delivery&apos;s <code className="text-green-300">webhook-signature</code> header with it.
          </p>
        </OneTimeSecret>
      )}
      <section aria-labelledby="subscribers-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="subscribers-heading" className="text-xl font-semibold text-green-400">
            Subscribers{" "}
            {subscribers.data && <span className="text-base font-normal text-neutral-300">({subscribers.data.subscribers.length})</span>}
          </h2>
          <Button variant="primary" onClick={() => setCreating(true)}>
            <Plus aria-hidden className="size-5" />
            New subscriber
          </Button>
        </div>
        {subscribers.isPending && (
          <Loading label="Loading subscribers">
            <Skeleton className="h-40" />
          </Loading>
        )}
        {subscribers.isError && (
          <ErrorState title="Could not load the subscribers" error={subscribers.error} onRetry={() => void subscribers.refetch()} />
        )}
        {subscribers.data && subscribers.data.subscribers.length === 0 && (
          <EmptyState title="No subscribers yet">
            Press “New subscriber” to send events to a webhook, a notification, an import or a backup.
          </EmptyState>
        )}
        {subscribers.data && subscribers.data.subscribers.length > 0 && (
          <ul className="space-y-3">
            {subscribers.data.subscribers.map((s) => (
              <SubscriberCard key={s.id} subscriber={s} onSecret={setRevealed} />
            ))}
          </ul>
        )}
      </section>
      <SubscriberDialog
        open={creating}
        onOpenChange={setCreating}
        subscriber={null}
        onCreated={(name, secret) => secret && setRevealed({ title: `Signing secret of “${name}”`, secret })}
      />
      <SourcesPanel />
    </div>
  );
}

function SubscriberCard({ subscriber: s, onSecret }: { subscriber: SubscriberRow; onSecret: (r: Revealed) => void }) {
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<"rotate" | "delete" | null>(null);
  const [recovering, setRecovering] = useState(false);
  const test = useSendTestEvent();
  const rotate = useRotateSecret();
  const remove = useDeleteSubscriber();
  const update = useUpdateSubscriber();
  const headingId = `subscriber-${s.id}`;
  const config = (s.config ?? {}) as Record<string, unknown>;
  const counts = Object.entries(s.deliveries).filter(([, n]) => n > 0);

  return (
    <li aria-labelledby={headingId} className="space-y-3 rounded-2xl border border-neutral-800 bg-neutral-900 p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h3 id={headingId} className="text-lg font-semibold">
            {s.name}
          </h3>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone="blue">{s.kind}</Badge>
            {s.active ? <Badge tone="green">active</Badge> : <Badge tone="red">disabled</Badge>}
            {s.ordered && <Badge>ordered</Badge>}
            {s.failing_since && <Badge tone="orange">failing since {formatDateTime(s.failing_since)}</Badge>}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            busy={test.isPending}
            onClick={() =>
              test.mutate(s.id, {
                onSuccess: (r) => toast.success(`Test event #${r.event_id} queued for “${s.name}”`),
                onError: (e) => toast.error(e.message),
              })
            }
          >
            Send test event
          </Button>
          <Button onClick={() => setEditing(true)}>Edit</Button>
          {s.kind === "webhook" && <Button onClick={() => setConfirm("rotate")}>Rotate secret</Button>}
          <Button onClick={() => setRecovering(true)}>Recover…</Button>
          <Button
            busy={update.isPending}
            onClick={() =>
              update.mutate(
                { id: s.id, body: { active: !s.active } },
                {
                  onSuccess: () => toast.success(s.active ? `“${s.name}” disabled` : `“${s.name}” enabled`),
                  onError: (e) => toast.error(e.message),
                },
              )
            }
          >
            {s.active ? "Disable" : "Enable"}
          </Button>
          <Button variant="danger" onClick={() => setConfirm("delete")}>
            Delete
          </Button>
        </div>
      </div>
      {!s.active && s.disabled_reason && (
        <p className="rounded-xl border border-red-800 bg-red-950/60 px-3 py-2 text-red-200">Disabled: {s.disabled_reason}</p>
      )}
      <dl className="grid gap-x-6 gap-y-2 text-sm md:grid-cols-2">
        <div>
          <dt className="text-neutral-300">Event types</dt>
          <dd className="break-all font-mono">{s.event_types}</dd>
        </div>
        {typeof config.url === "string" && (
          <div>
            <dt className="text-neutral-300">URL</dt>
            <dd className="break-all font-mono">{config.url}</dd>
          </div>
        )}
        <div>
          <dt className="text-neutral-300">Deliveries</dt>
          <dd>{counts.length ? counts.map(([status, n]) => `${n} ${status}`).join(" · ") : "none yet"}</dd>
        </div>
        <div>
          <dt className="text-neutral-300">Max attempts</dt>
          <dd>{s.max_attempts}</dd>
        </div>
        {s.kind === "webhook" && (
          <div>
            <dt className="text-neutral-300">Signing secret</dt>
            <dd className="font-mono">
              {s.secret_hint ?? "—"}
              {s.previous_secret_expires_at && (
                <span className="font-sans text-neutral-300">
                  {" "}
                  · previous one valid until {formatDateTime(s.previous_secret_expires_at)}
                </span>
              )}
            </dd>
          </div>
        )}
      </dl>
      {s.filter && (
        <details>
          <summary className="cursor-pointer text-sm font-semibold text-neutral-200">Filter</summary>
          <JsonView value={s.filter} label={`Filter of ${s.name}`} />
        </details>
      )}

      <SubscriberDialog open={editing} onOpenChange={setEditing} subscriber={s} />
      <ConfirmDialog
        open={confirm === "rotate"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={`Rotate the secret of “${s.name}”?`}
        description="A new signing secret is made and shown once. The current one keeps signing beside it for 24 hours, so the receiver can switch."
        confirmLabel="Rotate secret"
        busy={rotate.isPending}
        onConfirm={() =>
          rotate.mutate(s.id, {
            onSuccess: (r) => {
              setConfirm(null);
              onSecret({ title: `New signing secret of “${s.name}”`, secret: r.secret });
            },
            onError: (e) => toast.error(e.message),
          })
        }
      />
      <ConfirmDialog
        open={confirm === "delete"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={`Delete “${s.name}”?`}
        description="The subscriber and its queued deliveries are removed. Events keep being logged."
        confirmLabel="Delete subscriber"
        busy={remove.isPending}
        onConfirm={() =>
          remove.mutate(s.id, {
            onSuccess: () => {
              setConfirm(null);
              toast.success(`“${s.name}” deleted`);
            },
            onError: (e) => toast.error(e.message),
          })
        }
      />
      <RecoverDialog subscriber={s} open={recovering} onOpenChange={setRecovering} />
    </li>
  );
}

/** Requeue every failed or dead delivery of the subscriber created between two times. */
function RecoverDialog({
  subscriber,
  open,
  onOpenChange,
}: {
  subscriber: SubscriberRow;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const recover = useRecoverSubscriber();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const fromId = `recover-from-${subscriber.id}`;
  const toId = `recover-to-${subscriber.id}`;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const fromIso = localToIso(from);
    const toIso = localToIso(to);
    if (!fromIso) return setError("Choose when to recover from");
    if (toIso && fromIso > toIso) return setError("“From” must be before “To”");
    setError(null);
    recover.mutate(
      { id: subscriber.id, from: fromIso, to: toIso },
      {
        onSuccess: (r) => {
          toast.success(`${r.requeued} deliver${r.requeued === 1 ? "y" : "ies"} requeued for “${subscriber.name}”`);
          onOpenChange(false);
        },
        onError: (err) => setError(err.message),
      },
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Recover deliveries of “${subscriber.name}”`}
      description="Failed and dead deliveries created in this time range are queued again, oldest first."
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={fromId} className={labelClass}>
              From
            </label>
            <input id={fromId} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className={inputClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={toId} className={labelClass}>
              To (empty: now)
            </label>
            <input id={toId} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className={inputClass} />
          </div>
        </div>
        {error && (
          <p role="alert" className="text-red-300">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-3">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={recover.isPending}>
            Recover deliveries
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
