"use client";

import { useId, type InputHTMLAttributes, type ReactNode } from "react";

import { MIN_PASSWORD_LENGTH } from "@/lib/auth/rules";

export { MIN_PASSWORD_LENGTH };

export const inputClass =
  "mt-1 min-h-12 w-full rounded-lg bg-neutral-800 px-3 text-lg aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-500";

type FieldProps = {
  label: string;
  name: string;
  /** Shown under the input and announced with it (aria-describedby); marks the input invalid. */
  error?: string | null;
  hint?: ReactNode;
  /** Extra classes for the input itself (`className` styles the wrapper). */
  inputClassName?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name">;

/** A labelled input with its hint and its error right underneath, wired up for screen readers. */
export function TextField({ label, name, error, hint, className, inputClassName = "", ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm text-neutral-300">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`${inputClass} ${inputClassName}`}
        {...input}
      />
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-neutral-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

/** Client-side checks for a new password + its confirmation; the server checks again. */
export function passwordErrors(password: string, confirm: string): { password?: string; confirm?: string } {
  const errors: { password?: string; confirm?: string } = {};
  if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`;
  if (confirm !== password) errors.confirm = "Passwords do not match";
  return errors;
}
