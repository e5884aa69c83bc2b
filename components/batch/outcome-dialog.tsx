"use client";

import { useForm } from "react-hook-form";
import { toast } from "@/components/ui/toast";
import type { BatchShape as Batch } from "@/lib/client/batches";
import type { Size } from "@/lib/domain/batches/constants";
import { useRecordOutcome } from "@/lib/client/centrifuge";
import { queuedNote } from "@/lib/client/batches";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { sizeLabel } from "@/lib/client/format";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import type { SettingsForm } from "@/components/batch/centrifuge-panel";

type OutcomeForm = { yield_percent: string; weight_check_pass_rate: string; notes: string };
type OutcomeValues = { yield_percent: number | null; weight_check_pass_rate: number | null; notes: string };
const outcomeResolver = lazyZodResolver<OutcomeForm, OutcomeValues>(() =>
  import("@/components/batch/batch-form-schemas").then((m) => m.outcomeSchema as never),
);

/** How a run with the current settings came out: yield and weight-check pass rate feed the learning. */
export function OutcomeDialog({
  open,
  onOpenChange,
  batch,
  size,
  settings,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  batch: Batch;
  size: Size;
  settings: SettingsForm;
}) {
  const record = useRecordOutcome(batch.id);
  const form = useForm<OutcomeForm, unknown, OutcomeValues>({
    resolver: outcomeResolver,
    defaultValues: { yield_percent: "", weight_check_pass_rate: "", notes: "" },
  });
  if (open) outcomeResolver.preload();
  const rpm = Number(settings.centrifuge_rpm);
  const seconds = Number(settings.centrifuge_time_seconds);
  const ready = settings.centrifuge_rpm !== "" && settings.centrifuge_time_seconds !== "";
  const onSubmit = form.handleSubmit((values) =>
    record
      .mutateAsync({
        batch_id: batch.id,
        size,
        rpm,
        time_seconds: seconds,
        cycles: Number(settings.centrifuge_cycles || 1),
        fill_gauge_cycle1: settings.centrifuge_fill_gauge_cycle1 === "" ? null : Number(settings.centrifuge_fill_gauge_cycle1),
        fill_gauge_cycle2: settings.centrifuge_fill_gauge_cycle2 === "" ? null : Number(settings.centrifuge_fill_gauge_cycle2),
        yield_percent: values.yield_percent,
        weight_check_pass_rate: values.weight_check_pass_rate,
        notes: values.notes || null,
      })
      .then(
        (res) => {
          toast[res.status === "applied" ? "success" : "info"](res.status === "applied" ? "Outcome recorded" : queuedNote);
          form.reset();
          onOpenChange(false);
        },
        (error: Error) => {
          if (!applyServerFieldErrors(error, form.setError, ["yield_percent", "weight_check_pass_rate", "notes"]))
            toast.error(error.message);
        },
      ),
  );
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Record outcome · ${sizeLabel(size)}`}
      description={ready ? `Run at ${rpm} RPM for ${seconds} s.` : "Enter and save the RPM and time first."}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-3">
        <Field
          label="Yield (%)"
          inputMode="decimal"
          error={form.formState.errors.yield_percent?.message}
          {...form.register("yield_percent")}
        />
        <Field
          label="Weight checks passed (%)"
          inputMode="decimal"
          error={form.formState.errors.weight_check_pass_rate?.message}
          {...form.register("weight_check_pass_rate")}
        />
        <Field label="Notes" error={form.formState.errors.notes?.message} {...form.register("notes")} />
        <div className="flex justify-end">
          <Button type="submit" variant="primary" busy={record.isPending} disabled={!ready}>
            Save outcome
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
