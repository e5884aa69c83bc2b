"use client";

import { useState } from "react";
import { Dialog as RadixDialog } from "radix-ui";
import type { BatchShape as Batch } from "@/lib/client/batches";
import { useSettings } from "@/lib/client/settings";
import { accountedGrams, gapOf, type MassBalance } from "@/lib/domain/batches/mass-balance";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { MassBalanceSummary } from "@/components/batch/mass-balance-summary";

export type MassBalanceGrams = { lab_sample_grams: number; waste_grams: number; remainder_grams: number };
const fields = [
  ["lab_sample_grams", "Lab samples (g)"],
  ["waste_grams", "Waste (g)"],
  ["remainder_grams", "Remainder (g)"],
] as const;

/** A typed gram value: empty = 0; null when it is not a number in 0–1 000 000 (the API's range). */
function parseGrams(text: string): number | null {
  if (text.trim() === "") return 0;
  const n = Number(text.replace(",", "."));
  return Number.isFinite(n) && n >= 0 && n <= 1_000_000 ? n : null;
}

/**
 * "Move to Done": the lab sample, waste and remainder grams, with the mass-balance gap recomputed
 * as they are typed. The grams travel in the stage change's body (one transaction on the server).
 */
export function MoveToDoneDialog({
  batch,
  open,
  onOpenChange,
  busy,
  onConfirm,
}: {
  batch: Batch;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  busy: boolean;
  onConfirm: (grams: MassBalanceGrams) => void;
}) {
  const tolerance = useSettings().data?.mass_balance_tolerance_percent;
  const [text, setText] = useState<Record<keyof MassBalanceGrams, string>>(() => ({
    lab_sample_grams: batch.lab_sample_grams ? String(batch.lab_sample_grams) : "",
    waste_grams: batch.waste_grams ? String(batch.waste_grams) : "",
    remainder_grams: batch.remainder_grams ? String(batch.remainder_grams) : "",
  }));
  const parsed = Object.fromEntries(fields.map(([k]) => [k, parseGrams(text[k])])) as Record<keyof MassBalanceGrams, number | null>;
  const valid = fields.every(([k]) => parsed[k] !== null);
  const grams = valid ? (parsed as MassBalanceGrams) : null;
  const accounted = grams ? accountedGrams(batch.mass_balance.product_grams, grams) : null;
  const balance: MassBalance | null =
    grams && accounted !== null ? { ...batch.mass_balance, accounted_grams: accounted, ...gapOf(batch.input_grams, accounted) } : null;

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Move to Done?"
      description={`Enter what left ${batch.strain} besides the pre-rolls. A gap above the tolerance sends an alert.`}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (grams) onConfirm(grams);
        }}
        className="space-y-4"
      >
        <div className="grid gap-3 sm:grid-cols-3">
          {fields.map(([k, label]) => (
            <Field
              key={k}
              label={label}
              inputMode="decimal"
              value={text[k]}
              placeholder="0"
              onChange={(e) => setText((t) => ({ ...t, [k]: e.target.value }))}
              error={parsed[k] === null ? "0 to 1 000 000 g" : null}
            />
          ))}
        </div>
        {balance && grams ? (
          <MassBalanceSummary live balance={balance} inputGrams={batch.input_grams} parts={grams} tolerancePercent={tolerance} />
        ) : null}
        <div className="flex justify-end gap-3">
          <RadixDialog.Close asChild>
            <Button>Cancel</Button>
          </RadixDialog.Close>
          <Button type="submit" variant="primary" busy={busy} disabled={!valid}>
            Move to Done
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
