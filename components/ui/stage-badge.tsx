import { stageNames } from "@/lib/domain/batches/constants";

/** The legacy badge colours operators know (EXISTING-SYSTEM §2). */
const stageColours = [
  "bg-amber-900 text-amber-100",
  "bg-orange-600 text-white",
  "bg-blue-600 text-white",
  "bg-purple-600 text-white",
  "bg-red-600 text-white",
  "bg-green-600 text-white",
  "bg-orange-800 text-white",
  "bg-green-900 text-green-100",
];

export function StageBadge({ stage }: { stage: number }) {
  return (
    <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${stageColours[stage] ?? "bg-neutral-700"}`}>
      {stageNames[stage] ?? `Stage ${stage}`}
    </span>
  );
}

export { stageColours };
