import { yieldStatus } from "@/lib/domain/weight-checks/weight-math";
import { cx } from "@/components/ui/cx";

/** Running yield coloured by the server's own bands (weight-math.ts): green, orange, red; — when nothing is weighed. */
export function YieldValue({ value, tolerancePercent }: { value: number; tolerancePercent: number }) {
  const status = yieldStatus(value, tolerancePercent);
  return (
    <span
      data-yield={status ?? "none"}
      className={cx(
        status === "good" && "text-green-300",
        status === "warning" && "text-orange-300",
        status === "bad" && "text-red-300",
        !status && "text-neutral-300",
      )}
    >
      {status ? `${value.toFixed(1)} %` : "—"}
    </span>
  );
}
