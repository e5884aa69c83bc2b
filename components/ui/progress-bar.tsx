import { cx } from "@/components/ui/cx";

/** Progress toward a plan; over 100 % stays full (over-production shows in the numbers). */
export function ProgressBar({ value, max, label, className }: { value: number; max: number; label: string; className?: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className={cx("h-3 w-full overflow-hidden rounded-full bg-neutral-800", className)}
    >
      <div className="h-full rounded-full bg-green-500 transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}
