"use client";

import { Badge } from "@/components/ui/badge";

/** Status colours shared by deliveries, inbound events and jobs. */
const TONES: Record<string, "neutral" | "green" | "orange" | "red" | "blue" | "purple"> = {
  pending: "blue",
  processing: "purple",
  completed: "green",
  processed: "green",
  ok: "green",
  success: "green",
  failed: "orange",
  error: "red",
  dead: "red",
  cancelled: "neutral",
  ignored: "neutral",
};

export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return <Badge>never</Badge>;
  return <Badge tone={TONES[status] ?? "neutral"}>{status}</Badge>;
}

/** JSON payload, pretty-printed, scrollable. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <pre
      role="region"
      aria-label={label}
      tabIndex={0}
      className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-xl border border-neutral-800 bg-neutral-950 p-3 font-mono text-sm text-neutral-200"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export const inputClass =
  "min-h-11 w-full rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-neutral-50 focus:outline-3 focus:outline-sky-400";
export const labelClass = "text-sm font-semibold text-neutral-200";

/** A `datetime-local` value → ISO with offset (what the API takes), or undefined when empty. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
