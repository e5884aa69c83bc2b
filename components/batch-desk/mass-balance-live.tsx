"use client";

import { useWatch, type UseFormReturn } from "react-hook-form";
import type { Batch } from "@/lib/domain/batches/batch-response";
import { massBalance } from "@/lib/domain/batches/mass-balance";
import { useSettings } from "@/lib/client/settings";
import { MassBalanceSummary } from "@/components/batch/mass-balance-summary";
import type { BatchFormValues } from "@/components/batch-desk/batch-form-values";

const watched = ["input_grams", "counts_0_5", "counts_0_7", "counts_1_0", "lab_sample_grams", "waste_grams", "remainder_grams"] as const;

/** The desk edit page's mass balance, recomputed from the form as it is edited (a field left empty or invalid counts as saved). */
export function MassBalanceLive({ form, batch }: { form: UseFormReturn<BatchFormValues>; batch: Batch }) {
  const values = useWatch({ control: form.control, name: [...watched] });
  const tolerance = useSettings().data?.mass_balance_tolerance_percent;
  const current = Object.fromEntries(
    watched.map((k, i) => {
      const text = String(values[i] ?? "").trim();
      const n = Number(text);
      return [k, text !== "" && Number.isFinite(n) && n >= 0 ? n : batch[k]];
    }),
  ) as Record<(typeof watched)[number], number>;
  const source = { ...batch, ...current };
  return (
    <section aria-label="Mass balance">
      <MassBalanceSummary live balance={massBalance(source)} inputGrams={source.input_grams} parts={source} tolerancePercent={tolerance} />
    </section>
  );
}
