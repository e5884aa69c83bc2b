"use client";

import { Dialog as RadixDialog } from "radix-ui";
import { X } from "lucide-react";
import { cx } from "@/components/ui/cx";

/** A real dialog (Radix): focus trapped, Escape closes, title and description announced. */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  className,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/70" />
        <RadixDialog.Content
          className={cx(
            "fixed left-1/2 top-1/2 z-50 w-[min(92vw,32rem)] -translate-x-1/2 -translate-y-1/2 rounded-2xl border border-neutral-700 bg-neutral-900 p-5 shadow-2xl",
            className,
          )}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <RadixDialog.Title className="text-xl font-bold">{title}</RadixDialog.Title>
            <RadixDialog.Close
              className="-m-2 flex min-h-12 min-w-12 items-center justify-center rounded-xl hover:bg-neutral-800"
              aria-label="Close"
            >
              <X aria-hidden className="size-6" />
            </RadixDialog.Close>
          </div>
          {description ? <RadixDialog.Description className="mb-4 text-neutral-300">{description}</RadixDialog.Description> : null}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** "Are you sure?" for a step that is easy to regret (a stage back). */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  busy,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description}>
      <div className="flex justify-end gap-3">
        <RadixDialog.Close asChild>
          <button
            type="button"
            className="min-h-12 rounded-xl border border-neutral-700 bg-neutral-800 px-4 font-semibold hover:bg-neutral-700"
          >
            Cancel
          </button>
        </RadixDialog.Close>
        <button
          type="button"
          disabled={busy}
          onClick={onConfirm}
          className="min-h-12 rounded-xl bg-orange-700 px-4 font-semibold text-white hover:bg-orange-600 disabled:opacity-50"
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
