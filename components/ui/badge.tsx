import { cx } from "@/components/ui/cx";

type Tone = "neutral" | "green" | "orange" | "red" | "blue" | "purple";

const tones: Record<Tone, string> = {
  neutral: "bg-neutral-800 text-neutral-100 border-neutral-600",
  green: "bg-green-950 text-green-300 border-green-700",
  orange: "bg-orange-950 text-orange-300 border-orange-700",
  red: "bg-red-950 text-red-300 border-red-700",
  blue: "bg-blue-950 text-blue-300 border-blue-700",
  purple: "bg-purple-950 text-purple-300 border-purple-700",
};

export function Badge({ tone = "neutral", children, className }: { tone?: Tone; children: React.ReactNode; className?: string }) {
  return (
    <span className={cx("inline-flex items-center gap-1 rounded-full border px-2.5 py-0.5 text-sm font-semibold", tones[tone], className)}>
      {children}
    </span>
  );
}
