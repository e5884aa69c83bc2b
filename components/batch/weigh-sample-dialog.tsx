"use client";

import { useForm } from "react-hook-form";
import { useState } from "react";
import { sizeGrams, type Size } from "@/lib/domain/batches/constants";
import { SAMPLE_UNITS } from "@/lib/domain/weight-checks/weight-math";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import type { WeightCheckAnalysis } from "@/lib/domain/weight-checks/weight-check-response";
import { queuedNote, useRecordWeightCheck } from "@/lib/client/batches";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { sizeLabel } from "@/lib/client/format";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { YieldValue } from "@/components/batch/yield-value";
import { toast } from "@/components/ui/toast";

type FormValues = { sample_weight: string };
const resolver = lazyZodResolver<FormValues, { sample_weight: number }>(() =>
  import("@/components/batch/batch-form-schemas").then((m) => m.weighSampleSchema as never),
);

/** `Weigh sample`: grams of 10 pre-rolls → mean unit weight vs target and the size's running yield. */
export function WeighSampleDialog({
  open,
  onOpenChange,
  batchId,
  strain,
  size,
  count,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  batchId: string;
  strain: string;
  size: Size;
  /** The size's count now: the sample is recorded at it. */
  count: number;
}) {
  const record = useRecordWeightCheck(batchId);
  const [result, setResult] = useState<WeightCheckAnalysis | null>(null);
  const form = useForm<FormValues, unknown, { sample_weight: number }>({ resolver, defaultValues: { sample_weight: "" } });
  if (open) resolver.preload();

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      setResult(null);
      form.reset();
    }
  };

  const onSubmit = form.handleSubmit((values) =>
    record.mutateAsync({ size, sample_weight: values.sample_weight, count_at_measurement: count }).then(
      (res) => {
        if (res.status === "applied") return setResult(res.body.analysis);
        // No answer yet (offline or slow): the sample is safe on the tablet and joins the log when sent.
        toast.info(queuedNote);
        close(false);
      },
      (error: Error) => {
        if (!applyServerFieldErrors(error, form.setError, ["sample_weight"])) toast.error(error.message);
      },
    ),
  );

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={`Weigh sample · ${sizeLabel(size)}`}
      description={`Weigh ${SAMPLE_UNITS} pre-rolls together and enter the grams.`}
    >
      {result ? (
        <div className="space-y-4" data-testid="weigh-result">
          <dl className="grid grid-cols-2 gap-3">
            <div className="rounded-xl bg-neutral-800 p-3">
              <dt className="text-sm text-neutral-300">Mean per pre-roll</dt>
              <dd className="text-2xl font-bold tabular-nums">{result.unit_weight.toFixed(3)} g</dd>
              <dd className="text-sm text-neutral-300">target {sizeGrams[size].toFixed(2)} g</dd>
            </div>
            <div className="rounded-xl bg-neutral-800 p-3">
              <dt className="text-sm text-neutral-300">Running yield</dt>
              <dd className="text-2xl font-bold tabular-nums">
                <YieldValue value={result.running_yield} tolerancePercent={result.tolerance_percent} />
              </dd>
            </div>
          </dl>
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setResult(null)}>
              Weigh another
            </Button>
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <Field
            label="Sample weight (g)"
            inputMode="decimal"
            autoFocus
            hint={`${SAMPLE_UNITS} pre-rolls of ${strain} at count ${count.toLocaleString("en-US")}`}
            error={form.formState.errors.sample_weight?.message}
            {...form.register("sample_weight")}
          />
          <div className="flex justify-end">
            <Button type="submit" variant="primary" busy={record.isPending}>
              Save sample
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
