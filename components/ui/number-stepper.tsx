"use client";

import { Minus, Plus } from "lucide-react";
import { IconButton } from "@/components/ui/icon-button";

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
        <IconButton
          label={`${label} minus ${step}`}
          icon={Minus}
          disabled={disabled || value - step < min}
          onClick={() => onChange(Math.max(min, value - step))}
          className="bg-neutral-800"
        />
        <output aria-live="polite" className="min-w-16 text-center text-2xl font-bold tabular-nums">
          {value}
        </output>
        <IconButton
          label={`${label} plus ${step}`}
          icon={Plus}
          disabled={disabled}
          onClick={() => onChange(value + step)}
          className="bg-neutral-800"
        />
      </div>
    </div>
  );
}
