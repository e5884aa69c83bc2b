"use client";

import { useState } from "react";
import { Scale } from "lucide-react";
import type { Size } from "@/lib/domain/batches/constants";
import { useBatchCounts, useRecordCounts } from "@/lib/client/batches";
import { formatCount, sizeLabel } from "@/lib/client/format";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import dynamic from "next/dynamic";

// Loaded when first opened: the dialog, its form and the validation rules are not in the page's first JavaScript.
const WeighSampleDialog = dynamic(() => import("@/components/batch/weigh-sample-dialog").then((m) => m.WeighSampleDialog), { ssr: false });

const STEPS = [25, 50, 100] as const;

/** The big count of one size, `+25 +50 +100 −25 −50 −100`, an exact entry and `Weigh sample`. */
export function CountPanel({ batchId, strain, size, canEdit }: { batchId: string; strain: string; size: Size; canEdit: boolean }) {
  const counts = useRecordCounts(batchId);
  const figures = useBatchCounts(batchId).data;
  const count = figures?.counts[size] ?? 0;
  const planned = figures?.planned[size] ?? 0;
  const today = figures?.today ? figures.today[size] : null;
  const [exact, setExact] = useState("");
  const [exactError, setExactError] = useState<string | null>(null);
  const [weighOpen, setWeighOpen] = useState(false);

  const submitExact = (e: React.FormEvent) => {
    e.preventDefault();
    const value = Number(exact);
    if (exact.trim() === "" || !Number.isInteger(value) || value < 0) {
      setExactError("Enter a whole number of pre-rolls, 0 or more");
      return;
    }
    setExactError(null);
    counts.mutate({ size, set: value }, { onSuccess: () => setExact("") });
  };

  return (
    <div className="space-y-5 text-center">
      <div>
        <p className="text-lg font-semibold text-neutral-200">{sizeLabel(size)} pre-rolls</p>
        <p data-testid="current-count" aria-live="polite" className="text-7xl font-bold tabular-nums leading-tight text-neutral-50">
          {formatCount(count)}
        </p>
        <p className="text-lg text-neutral-300">of {formatCount(planned)} planned</p>
      </div>
      <ProgressBar value={count} max={planned} label={`${sizeLabel(size)} progress to plan`} className="h-4" />
      <p className="text-lg text-neutral-200">
        Today: <span className="font-bold text-green-300">{today === null ? "…" : formatCount(today)}</span>
      </p>
      {canEdit ? (
        <>
          <div className="flex flex-wrap justify-center gap-3">
            {[...STEPS].reverse().map((n) => (
              <Button
                key={`-${n}`}
                variant="subtract"
                size="xl"
                aria-label={`−${n}`}
                disabled={count - n < 0}
                onClick={() => counts.mutate({ size, add: -n })}
              >
                −{n}
              </Button>
            ))}
            {STEPS.map((n) => (
              <Button key={`+${n}`} variant="add" size="xl" onClick={() => counts.mutate({ size, add: n })}>
                +{n}
              </Button>
            ))}
          </div>
          <div className="flex flex-wrap items-start justify-center gap-3">
            <form onSubmit={submitExact} className="flex items-end gap-2 text-left" noValidate>
              <div className="flex flex-col gap-1">
                <label htmlFor={`exact-${size}`} className="text-sm font-semibold text-neutral-200">
                  Exact count
                </label>
                <input
                  id={`exact-${size}`}
                  inputMode="numeric"
                  value={exact}
                  onChange={(e) => setExact(e.target.value)}
                  aria-invalid={exactError ? true : undefined}
                  aria-describedby={exactError ? `exact-${size}-error` : undefined}
                  placeholder={String(count)}
                  className="min-h-12 w-36 rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-lg tabular-nums"
                />
              </div>
              <Button type="submit" variant="secondary">
                Set count
              </Button>
            </form>
            <Button variant="secondary" onClick={() => setWeighOpen(true)} className="self-end">
              <Scale aria-hidden className="size-5" />
              Weigh sample
            </Button>
          </div>
          {exactError ? (
            <p id={`exact-${size}-error`} className="text-sm text-red-300">
              {exactError}
            </p>
          ) : null}
          {weighOpen ? (
            <WeighSampleDialog open={weighOpen} onOpenChange={setWeighOpen} batchId={batchId} strain={strain} size={size} count={count} />
          ) : null}
        </>
      ) : null}
    </div>
  );
}
