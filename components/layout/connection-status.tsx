"use client";

import { useIsMutating } from "@tanstack/react-query";
import { useConnectionState } from "@/lib/client/live/live-updates";
import { cx } from "@/components/ui/cx";

const time = (d: Date) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** The header's live region (UI-GUIDE §3): `Live`, `Polling`, `Offline since 14:32`, and `3 pending`. */
export function ConnectionStatus() {
  const state = useConnectionState();
  const pending = useIsMutating({ mutationKey: ["write"] });
  const label =
    state.kind === "live"
      ? "Live"
      : state.kind === "polling"
        ? "Polling"
        : state.kind === "offline"
          ? `Offline since ${time(state.since)}`
          : "Connecting";
  const dot = state.kind === "live" ? "bg-green-400" : state.kind === "offline" ? "bg-red-400" : "bg-amber-400";
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 rounded-full bg-neutral-800 px-3 py-1.5 text-sm font-semibold">
      <span aria-hidden className={cx("size-2.5 rounded-full", dot)} />
      <span data-testid="connection-state">{label}</span>
      {pending > 0 ? <span className="text-amber-300">· {pending} pending</span> : null}
    </div>
  );
}
