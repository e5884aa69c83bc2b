"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { FormError } from "@/components/auth/form-error";

/**
 * A modal confirmation (native <dialog>: focus trap, Escape to cancel). Render it only while open:
 * `{pending && <ConfirmDialog … />}`.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  error,
  destructive = true,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  error?: unknown;
  destructive?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-neutral-700 bg-neutral-900 p-6 text-neutral-100 shadow-2xl backdrop:bg-black/70"
    >
      <h2 id={titleId} className="text-xl font-bold text-green-400">
        {title}
      </h2>
      <div id={bodyId} className="mt-3 space-y-2 text-neutral-300">
        {children}
      </div>
      <FormError error={error} className="mt-3" />
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <button
          type="button"
          onClick={onCancel}
          disabled={busy}
          autoFocus
          className="min-h-11 rounded-lg bg-neutral-800 px-4 hover:bg-neutral-700 disabled:opacity-50"
        >
          Cancel
        </button>
        <button
          type="button"
          onClick={onConfirm}
          disabled={busy}
          className={`min-h-11 rounded-lg px-4 font-semibold disabled:opacity-50 ${destructive ? "bg-red-700 hover:bg-red-600" : "bg-green-700 hover:bg-green-800"}`}
        >
          {busy ? "Working…" : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
