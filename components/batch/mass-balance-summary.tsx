import type { MassBalance } from "@/lib/domain/batches/mass-balance";
import { withinTolerance } from "@/lib/domain/batches/mass-balance";
import { cx } from "@/components/ui/cx";

const grams = (n: number) => `${n.toLocaleString("en-US", { maximumFractionDigits: 1 })} g`;

/** "50 g (5 %)", or "—" without input grams. */
export function formatGap(balance: Pick<MassBalance, "gap_grams" | "gap_percent">): string {
  if (balance.gap_percent === null) return "—";
  return `${grams(balance.gap_grams)} (${balance.gap_percent.toLocaleString("en-US", { maximumFractionDigits: 2 })} %)`;
}

const basisText: Record<MassBalance["fill_basis"], string> = {
  measured: "fill from weight checks",
  nominal: "nominal fill, no weight checks",
  mixed: "weight checks where weighed, else nominal fill",
  none: "nothing counted yet",
};

/**
 * The mass balance in one line a person can check by hand: input = in pre-rolls + lab + waste +
 * remainder + gap, with the gap coloured against the tolerance (the floor's details, the "Move
 * to Done" dialog while typing, the desk edit page). `tolerancePercent` undefined while the
 * settings load: no colour, no verdict.
 */
export function MassBalanceSummary({
  balance,
  inputGrams,
  parts,
  tolerancePercent,
  live = false,
  className,
}: {
  balance: MassBalance;
  inputGrams: number;
  parts: { lab_sample_grams: number; waste_grams: number; remainder_grams: number };
  tolerancePercent?: number;
  /** Announce changes (while the grams are being typed). */
  live?: boolean;
  className?: string;
}) {
  const verdict =
    tolerancePercent === undefined || balance.gap_percent === null ? null : withinTolerance(balance.gap_percent, tolerancePercent);
  return (
    <div className={cx("rounded-xl bg-neutral-800/60 p-3", className)} aria-live={live ? "polite" : undefined}>
      <p className="text-sm text-neutral-300">Mass balance</p>
      <p className="mt-1 text-base tabular-nums text-neutral-100">
        {grams(inputGrams)} in = {grams(balance.product_grams)} in pre-rolls + {grams(parts.lab_sample_grams)} lab +{" "}
        {grams(parts.waste_grams)} waste + {grams(parts.remainder_grams)} remainder + gap
      </p>
      <p
        className={cx(
          "mt-1 text-xl font-semibold tabular-nums",
          verdict === null ? "text-neutral-50" : verdict ? "text-green-300" : "text-orange-300",
        )}
      >
        Gap {formatGap(balance)}
        {verdict === null ? null : verdict ? " · within tolerance" : ` · above the ${tolerancePercent} % tolerance`}
      </p>
      <p className="text-sm text-neutral-300">Pre-rolls: {basisText[balance.fill_basis]}</p>
    </div>
  );
}
