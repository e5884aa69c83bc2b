"use client";

import { useId } from "react";
import { cx } from "@/components/ui/cx";

/**
 * A native select with a visible label above it (the label names only the select, not its
 * options). `options` are `[value, text]` pairs.
 */
export function SelectField({
  label,
  value,
  onChange,
  options,
  className,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly (readonly [value: string, text: string])[];
  className?: string;
}) {
  const id = useId();
  return (
    <div className={cx("flex min-w-0 flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-semibold text-neutral-200">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="min-h-12 w-full rounded-xl border border-neutral-700 bg-neutral-800 px-3 text-base text-neutral-100 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-sky-400"
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
