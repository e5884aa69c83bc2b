"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { useState } from "react";
import type { Batch } from "@/lib/domain/batches/batch-response";
import { sizeGrams, type Size } from "@/lib/domain/batches/constants";
import { sampleWeightField, SAMPLE_UNITS } from "@/lib/domain/weight-checks/weight-check-schema";
import type { WeightCheckAnalysis } from "@/lib/domain/weight-checks/weight-check-response";
import { useRecordWeightCheck } from "@/lib/client/batches";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { sizeLabel } from "@/lib/client/format";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { YieldValue } from "@/components/batch/yield-value";
import { toast } from "sonner";

const formSchema = z.object({ sample_weight: sampleWeightField });
type FormValues = z.input<typeof formSchema>;

/** `Weigh sample`: grams of 10 pre-rolls → mean unit weight vs target and the size's running yield. */
export function WeighSampleDialog({
  open,
  onOpenChange,
  batch,
  size,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  batch: Batch;
  size: Size;
}) {
  const record = useRecordWeightCheck(batch.id);
  const [result, setResult] = useState<WeightCheckAnalysis | null>(null);
  const form = useForm<FormValues, unknown, z.output<typeof formSchema>>({
    resolver: zodResolver(formSchema),
    defaultValues: { sample_weight: "" },
  });

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      setResult(null);
      form.reset();
    }
  };

  const onSubmit = form.handleSubmit((values) =>
    record.mutateAsync({ size, sample_weight: values.sample_weight, count_at_measurement: batch[`counts_${size}`] }).then(
      (res) => setResult(res.analysis),
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
            hint={`${SAMPLE_UNITS} pre-rolls at count ${batch[`counts_${size}`].toLocaleString("en-US")}`}
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
