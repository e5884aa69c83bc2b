"use client";

import { toast } from "@/components/ui/toast";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { useOutboxClient, useOutboxSnapshot } from "@/lib/client/outbox/outbox-context";
import { describeWrite } from "@/lib/client/outbox/effects";
import type { OutboxEntry } from "@/lib/client/outbox/types";

const when = (ms: number) => new Date(ms).toLocaleString([], { hour: "2-digit", minute: "2-digit", day: "numeric", month: "short" });

/**
 * What this tablet still holds: changes the server refused (with its message; discard or send
 * again) and changes waiting to be sent, in the order they will go.
 */
export function OutboxDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const snapshot = useOutboxSnapshot();
  const outbox = useOutboxClient();
  const conflicts = snapshot.entries.filter((e) => e.status === "conflict");
  const pending = snapshot.entries.filter((e) => e.status === "pending");
  const held = new Set(conflicts.map((e) => e.scope));
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Changes on this tablet" className="max-h-[85vh] overflow-y-auto">
      <section aria-labelledby="conflicts-title" className="mb-5">
        <h2 id="conflicts-title" className="mb-2 text-lg font-bold">
          Not applied ({conflicts.length})
        </h2>
        {conflicts.length === 0 ? (
          <p className="text-neutral-300">Nothing was refused.</p>
        ) : (
          <ul className="space-y-3">
            {conflicts.map((entry) => (
              <ConflictRow
                key={entry.seq}
                entry={entry}
                onDiscard={() => void outbox.discard(entry.seq).then(() => toast.success("Change discarded"))}
                onRetry={() => void outbox.retry(entry.seq)}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="pending-title">
        <h2 id="pending-title" className="mb-2 text-lg font-bold">
          Waiting to send ({pending.length})
        </h2>
        {snapshot.lastError && pending.length > 0 ? (
          <p className="mb-2 text-amber-300">
            Last try: {snapshot.lastError}
            {snapshot.retryAt ? ` · next at ${new Date(snapshot.retryAt).toLocaleTimeString()}` : ""}
          </p>
        ) : null}
        {pending.length === 0 ? (
          <p className="text-neutral-300">Everything was sent.</p>
        ) : (
          <ol className="space-y-1">
            {pending.map((entry) => (
              <li key={entry.seq} className="flex justify-between gap-3 rounded-lg bg-neutral-800 px-3 py-2">
                <span>
                  {describeWrite(entry)}
                  {held.has(entry.scope) ? <span className="block text-sm text-amber-300">Waits for the refused change above</span> : null}
                </span>
                <span className="shrink-0 text-sm text-neutral-300">{when(entry.created_at)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </Dialog>
  );
}

function ConflictRow({ entry, onDiscard, onRetry }: { entry: OutboxEntry; onDiscard: () => void; onRetry: () => void }) {
  const label = describeWrite(entry);
  return (
    <li className="rounded-xl border border-red-800 bg-red-950/40 p-3" aria-label={label}>
      <p className="font-semibold">{label}</p>
      <p className="text-sm text-neutral-300">{when(entry.created_at)}</p>
      <p role="alert" className="mt-1 text-red-200">
        {entry.rejection?.message ?? "Refused by the server"}
      </p>
      <div className="mt-2 flex gap-2">
        <Button onClick={onRetry}>Retry</Button>
        <Button variant="danger" onClick={onDiscard}>
          Discard
        </Button>
      </div>
    </li>
  );
}
