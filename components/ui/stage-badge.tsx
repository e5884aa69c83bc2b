import { stageNames } from "@/lib/domain/batches/constants";
import { cx } from "@/components/ui/cx";

/**
 * The stage colours operators know (EXISTING-SYSTEM §2), each pair ≥ 4.5:1 contrast:
 * brown, orange, blue, purple, red, green, deep orange, dark green.
 */
export const stageColours = [
  "bg-amber-900 text-amber-50",
  "bg-orange-500 text-neutral-950",
  "bg-blue-600 text-white",
  "bg-purple-600 text-white",
  "bg-red-600 text-white",
  "bg-green-500 text-neutral-950",
  "bg-orange-800 text-white",
  "bg-green-900 text-green-50",
];

export function StageBadge({ stage, className }: { stage: number; className?: string }) {
  return (
    <span className={cx("inline-block rounded-full px-3 py-1 text-sm font-semibold", stageColours[stage] ?? "bg-neutral-700", className)}>
      {stageNames[stage] ?? `Stage ${stage}`}
    </span>
  );
}
