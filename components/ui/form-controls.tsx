"use client";

import { forwardRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { cx } from "@/components/ui/cx";
import { HintAndError, useDescribedBy } from "@/components/ui/field";

/**
 * The other labelled controls beside `Field` (components/ui/field.tsx), with the same label,
 * hint and error wiring: a select, a multi-line text and a checkbox. Each forwards its ref for
 * react-hook-form's `register()`.
 */

type Described = { label: string; error?: string | null; hint?: ReactNode; className?: string };

const controlClass = (error: string | null | undefined) =>
  cx(
    "w-full rounded-xl border bg-neutral-950 px-3 text-base text-neutral-50 focus:outline-3 focus:outline-sky-400",
    error ? "border-red-500" : "border-neutral-600",
  );

export const SelectField = forwardRef<HTMLSelectElement, Described & Omit<SelectHTMLAttributes<HTMLSelectElement>, "className">>(
  function SelectField({ label, error, hint, className, id, children, ...select }, ref) {
    const { controlId, hintId, errorId, describedBy } = useDescribedBy(id, hint, error);
    return (
      <div className={cx("flex flex-col gap-1", className)}>
        <label htmlFor={controlId} className="text-sm font-semibold text-neutral-200">
          {label}
        </label>
        <select
          ref={ref}
          id={controlId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cx(controlClass(error), "min-h-12")}
          {...select}
        >
          {children}
        </select>
        <HintAndError hintId={hintId} errorId={errorId} hint={hint} error={error} />
      </div>
    );
  },
);

export const TextAreaField = forwardRef<HTMLTextAreaElement, Described & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "className">>(
  function TextAreaField({ label, error, hint, className, id, rows = 3, ...textarea }, ref) {
    const { controlId, hintId, errorId, describedBy } = useDescribedBy(id, hint, error);
    return (
      <div className={cx("flex flex-col gap-1", className)}>
        <label htmlFor={controlId} className="text-sm font-semibold text-neutral-200">
          {label}
        </label>
        <textarea
          ref={ref}
          id={controlId}
          rows={rows}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cx(controlClass(error), "py-2")}
          {...textarea}
        />
        <HintAndError hintId={hintId} errorId={errorId} hint={hint} error={error} />
      </div>
    );
  },
);

export const CheckboxField = forwardRef<HTMLInputElement, Described & Omit<InputHTMLAttributes<HTMLInputElement>, "className" | "type">>(
  function CheckboxField({ label, error, hint, className, id, ...input }, ref) {
    const { controlId, hintId, errorId, describedBy } = useDescribedBy(id, hint, error);
    return (
      <div className={cx("flex flex-col gap-1", className)}>
        <label htmlFor={controlId} className="flex min-h-12 cursor-pointer items-center gap-3 font-semibold text-neutral-100">
          <input
            ref={ref}
            id={controlId}
            type="checkbox"
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            className="size-6 accent-green-600"
            {...input}
          />
          {label}
        </label>
        <HintAndError hintId={hintId} errorId={errorId} hint={hint} error={error} />
      </div>
    );
  },
);
