"use client";

import dynamic from "next/dynamic";
import { useState, useSyncExternalStore } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useConnectionState } from "@/lib/client/live/live-updates";
import { useOutboxSnapshot } from "@/lib/client/outbox/outbox-context";
import { cx } from "@/components/ui/cx";

// The lists are loaded when first opened (not in the floor pages' first JavaScript).
const OutboxDialog = dynamic(() => import("@/components/layout/outbox-dialog").then((m) => m.OutboxDialog), { ssr: false });

const time = (d: Date | number) => new Date(d).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** When the oldest data on screen was fetched (0: none yet): shown while offline. */
function useDataFrom(): number {
  const cache = useQueryClient().getQueryCache();
  return useSyncExternalStore(
    (onChange) => cache.subscribe(onChange),
    () => {
      let oldest = 0;
      for (const query of cache.getAll()) {
        const at = query.state.dataUpdatedAt;
        if (query.getObserversCount() > 0 && at > 0 && (oldest === 0 || at < oldest)) oldest = at;
      }
      return oldest;
    },
    () => 0,
  );
}

/**
 * The header's live region (UI-GUIDE §3): `Live`, `Polling`, `Offline since 14:32 · data from
 * 14:31`, and while the device holds writes `3 pending`, `1 conflict` (opens the lists), or a
 * sign-in link when the server asked for one.
 */
export function ConnectionStatus() {
  const state = useConnectionState();
  const outbox = useOutboxSnapshot();
  const dataFrom = useDataFrom();
  const [open, setOpen] = useState(false);
  const label =
    state.kind === "live"
      ? "Live"
      : state.kind === "polling"
        ? "Polling"
        : state.kind === "offline"
          ? `Offline since ${time(state.since)}${dataFrom ? ` · data from ${time(dataFrom)}` : ""}`
          : "Connecting";
  const dot = state.kind === "live" ? "bg-green-400" : state.kind === "offline" ? "bg-red-400" : "bg-amber-400";
  const hasQueue = outbox.pending > 0 || outbox.conflicts > 0;
  return (
    <div className="flex items-center gap-2">
      <div
        role="status"
        aria-live="polite"
        className="flex items-center gap-2 rounded-full bg-neutral-800 px-3 py-1.5 text-sm font-semibold"
      >
        <span aria-hidden className={cx("size-2.5 shrink-0 rounded-full", dot)} />
        <span data-testid="connection-state">{label}</span>
        {outbox.pending > 0 ? (
          <span data-testid="pending-count" className="text-amber-300">
            · {outbox.pending} pending
          </span>
        ) : null}
        {outbox.paused === "auth" ? <span className="text-amber-300">· signed out</span> : null}
      </div>
      {outbox.paused === "auth" ? (
        <a
          href={`/login?callbackUrl=${encodeURIComponent(typeof window === "undefined" ? "/" : window.location.pathname)}`}
          className="flex min-h-12 items-center rounded-xl bg-amber-700 px-3 text-sm font-semibold text-white hover:bg-amber-600"
        >
          Sign in to send
        </a>
      ) : null}
      {hasQueue ? (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className={cx(
            "flex min-h-12 items-center rounded-xl px-3 text-sm font-semibold",
            outbox.conflicts > 0 ? "bg-red-800 text-white hover:bg-red-700" : "bg-neutral-800 hover:bg-neutral-700",
          )}
        >
          {outbox.conflicts > 0 ? `${outbox.conflicts} ${outbox.conflicts === 1 ? "conflict" : "conflicts"}` : "Waiting to send"}
        </button>
      ) : null}
      {open ? <OutboxDialog open={open} onOpenChange={setOpen} /> : null}
    </div>
  );
}
