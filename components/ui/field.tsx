"use client";

import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";

export type FieldProps = {
  label: string;
  /** Shown under the input and announced with it (aria-describedby); marks the input invalid. */
  error?: string | null;
  hint?: ReactNode;
  /** Classes of the wrapper; `inputClassName` styles the input itself. */
  className?: string;
  inputClassName?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "className">;

/**
 * A labelled input with its hint and its error right underneath, wired up for screen readers.
 * Errors are client-side zod messages or the server's `details.fields` for the same name.
 * Forwards its ref, so react-hook-form's `register()` can be spread onto it.
 */
export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field(
  { label, error, hint, className, inputClassName, id, ...input },
  ref,
) {
  const { controlId: inputId, hintId, errorId, describedBy } = useDescribedBy(id, hint, error);
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={inputId} className="text-sm font-semibold text-neutral-200">
        {label}
      </label>
      <input
        ref={ref}
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cx(
          "min-h-12 w-full rounded-xl border bg-neutral-950 px-3 text-lg tabular-nums text-neutral-50 focus:outline-3 focus:outline-sky-400",
          error ? "border-red-500" : "border-neutral-600",
          inputClassName,
        )}
        {...input}
      />
      <HintAndError hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
});

/** Ids that tie a control to its hint and error, for `aria-describedby`. */
export function useDescribedBy(id: string | undefined, hint: ReactNode, error: string | null | undefined) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  return { controlId, hintId, errorId, describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined };
}

/** The hint and the error under a control (the error in red, both announced with it). */
export function HintAndError({
  hintId,
  errorId,
  hint,
  error,
}: {
  hintId?: string;
  errorId?: string;
  hint?: ReactNode;
  error?: string | null;
}) {
  return (
    <>
      {hint ? (
        <p id={hintId} className="text-sm text-neutral-300">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-sm text-red-300">
          {error}
        </p>
      ) : null}
    </>
  );
}
