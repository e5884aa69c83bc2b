"use client";

import { Minus, Plus } from "lucide-react";

/** − value + for glove-friendly counting (bagging counters); never below `min`. */
export function NumberStepper({
  label,
  value,
  onChange,
  step = 1,
  min = 0,
  disabled,
}: {
  label: string;
  value: number;
  onChange: (next: number) => void;
  step?: number;
  min?: number;
  disabled?: boolean;
}) {
  return (
    <div role="group" aria-label={label} className="flex flex-col gap-1">
      <span className="text-sm font-semibold text-neutral-200">{label}</span>
      <div className="flex items-center gap-2">
        <button
          type="button"
          aria-label={`${label} minus ${step}`}
          disabled={disabled || value - step < min}
          onClick={() => onChange(Math.max(min, value - step))}
          className="flex min-h-12 min-w-12 items-center justify-center rounded-xl bg-neutral-800 hover:bg-neutral-700 disabled:opacity-40"
        >
          <Minus aria-hidden className="size-6" />
        </button>
        <output aria-live="polite" className="min-w-16 text-center text-2xl font-bold tabular-nums">
          {value}
        </output>
        <button
          type="button"
          aria-label={`${label} plus ${step}`}
          disabled={disabled}
          onClick={() => onChange(value + step)}
          className="flex min-h-12 min-w-12 items-center justify-center rounded-xl bg-neutral-800 hover:bg-neutral-700 disabled:opacity-40"
        >
          <Plus aria-hidden className="size-6" />
        </button>
      </div>
    </div>
  );
}
