import { cx } from "@/components/ui/cx";

/** A labelled figure: "Rate now · 412 /h". */
export function Stat({
  label,
  value,
  hint,
  className,
}: {
  label: string;
  value: React.ReactNode;
  hint?: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cx("rounded-xl bg-neutral-800/60 p-3", className)}>
      <dt className="text-sm text-neutral-300">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums text-neutral-50">{value}</dd>
      {hint ? <dd className="mt-0.5 text-sm text-neutral-300">{hint}</dd> : null}
    </div>
  );
}
