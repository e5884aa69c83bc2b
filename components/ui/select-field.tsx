"use client";

import { SelectField } from "@/components/ui/form-controls";

/**
 * A controlled filter select from `[value, text]` pairs (period, size, store …): the labelled
 * SelectField of the form controls, for pages that hold the value in state rather than a form.
 */
export function OptionSelect({
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
  return (
    <SelectField label={label} value={value} onChange={(e) => onChange(e.target.value)} className={className}>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </SelectField>
  );
}
