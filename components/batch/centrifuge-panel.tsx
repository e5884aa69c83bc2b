"use client";

import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { Sparkles } from "lucide-react";
import { toast } from "sonner";
import type { Batch } from "@/lib/domain/batches/batch-response";
import type { Size } from "@/lib/domain/batches/constants";
import { centrifugeFields } from "@/lib/domain/batches/batch-schema";
import { useCentrifugeRecommendations, useRecordOutcome, useSaveCentrifugeSettings } from "@/lib/client/centrifuge";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { sizeLabel } from "@/lib/client/format";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Badge } from "@/components/ui/badge";
import { Dialog } from "@/components/ui/dialog";

/** An input's text → number, "" → null, so the batch schema's ranges check it. */
const fromInput = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? null : Number(v)) : v), schema);

const settingsSchema = z.object({
  centrifuge_rpm: fromInput(centrifugeFields.centrifuge_rpm),
  centrifuge_time_seconds: fromInput(centrifugeFields.centrifuge_time_seconds),
  centrifuge_cycles: fromInput(centrifugeFields.centrifuge_cycles),
  centrifuge_fill_gauge_cycle1: fromInput(centrifugeFields.centrifuge_fill_gauge_cycle1),
  centrifuge_fill_gauge_cycle2: fromInput(centrifugeFields.centrifuge_fill_gauge_cycle2),
});
type SettingsForm = Record<keyof z.input<typeof settingsSchema>, string>;
const FIELDS = Object.keys(settingsSchema.shape) as (keyof SettingsForm)[];

const labels: Record<keyof SettingsForm, string> = {
  centrifuge_rpm: "RPM",
  centrifuge_time_seconds: "Time (s)",
  centrifuge_cycles: "Cycles",
  centrifuge_fill_gauge_cycle1: "Fill gauge 1",
  centrifuge_fill_gauge_cycle2: "Fill gauge 2",
};

/** The settings in force for a size: its own, else the batch-wide ones (the legacy single set). */
function currentSettings(batch: Batch, size: Size): SettingsForm {
  const own = batch.centrifuge_settings_by_size?.[size] ?? {};
  const pick = (key: keyof SettingsForm) => {
    const value = (own as Partial<Record<keyof SettingsForm, number | null>>)[key] ?? batch[key];
    return value === null || value === undefined ? "" : String(value);
  };
  return Object.fromEntries(FIELDS.map((k) => [k, pick(k)])) as SettingsForm;
}

export function CentrifugePanel({ batch, size, canEdit }: { batch: Batch; size: Size; canEdit: boolean }) {
  const recs = useCentrifugeRecommendations(batch.strain, batch.grind_size);
  const save = useSaveCentrifugeSettings(batch.id);
  const form = useForm<SettingsForm, unknown, z.output<typeof settingsSchema>>({
    resolver: zodResolver(settingsSchema) as never,
    defaultValues: currentSettings(batch, size),
  });
  const [outcomeOpen, setOutcomeOpen] = useState(false);
  const recommendation = recs.data?.recommendations[size];

  // Switching sizes (or another tablet saving) shows that size's saved settings.
  const saved = JSON.stringify(currentSettings(batch, size));
  useEffect(() => {
    form.reset(JSON.parse(saved) as SettingsForm);
  }, [saved, form]);

  const applyRecommended = () => {
    if (!recommendation?.has_data) return;
    const values: Partial<SettingsForm> = {
      centrifuge_rpm: String(recommendation.rpm),
      centrifuge_time_seconds: String(recommendation.time_seconds),
      centrifuge_cycles: String(recommendation.cycles),
      centrifuge_fill_gauge_cycle1: recommendation.fill_gauge_cycle1 === null ? "" : String(recommendation.fill_gauge_cycle1),
      centrifuge_fill_gauge_cycle2: recommendation.fill_gauge_cycle2 === null ? "" : String(recommendation.fill_gauge_cycle2),
    };
    for (const [k, v] of Object.entries(values)) form.setValue(k as keyof SettingsForm, v, { shouldDirty: true });
    toast.info("Recommended settings filled in — Save settings to keep them");
  };

  const onSubmit = form.handleSubmit((values) =>
    save.mutateAsync({ size, ...values }).catch((error: Error) => {
      if (!applyServerFieldErrors(error, form.setError, FIELDS)) toast.error(error.message);
    }),
  );

  return (
    <Card aria-labelledby="centrifuge-title">
      <CardTitle>
        <span id="centrifuge-title">Centrifuge · {sizeLabel(size)}</span>
      </CardTitle>
      <div className="mb-4 rounded-xl bg-neutral-800/70 p-3" data-testid="centrifuge-recommendation">
        {recs.isPending ? (
          <p className="text-neutral-300">Loading the recommendation…</p>
        ) : recommendation?.has_data ? (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <Sparkles aria-hidden className="size-5 text-green-300" />
              <span className="font-semibold">Recommended for {sizeLabel(size)}</span>
              <Badge
                tone={
                  recommendation.confidence_level === "high" ? "green" : recommendation.confidence_level === "medium" ? "orange" : "neutral"
                }
              >
                {recommendation.confidence_level} confidence · {recommendation.sample_size} runs
              </Badge>
            </div>
            <dl className="mt-2 grid grid-cols-4 gap-2 text-center">
              {(
                [
                  ["RPM", recommendation.rpm],
                  ["Time", `${recommendation.time_seconds} s`],
                  ["Cycles", recommendation.cycles],
                  ["Fill", recommendation.fill_gauge_cycle1 ?? "—"],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className="rounded-lg bg-neutral-900 p-2">
                  <dt className="text-xs uppercase text-neutral-300">{label}</dt>
                  <dd className="text-lg font-bold text-green-300">{value}</dd>
                </div>
              ))}
            </dl>
            {canEdit ? (
              <Button className="mt-3 w-full" onClick={applyRecommended}>
                Apply recommended
              </Button>
            ) : null}
          </>
        ) : (
          <p className="text-neutral-300">
            No recommendation yet for {batch.strain} at {sizeLabel(size)}: record outcomes and the system learns.
          </p>
        )}
      </div>
      <form onSubmit={onSubmit} noValidate className="space-y-3">
        <fieldset disabled={!canEdit} className="grid grid-cols-3 gap-3">
          <legend className="sr-only">Settings for {sizeLabel(size)}</legend>
          {FIELDS.map((key) => (
            <Field key={key} label={labels[key]} inputMode="numeric" error={form.formState.errors[key]?.message} {...form.register(key)} />
          ))}
        </fieldset>
        {canEdit ? (
          <div className="flex flex-wrap gap-3">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save settings
            </Button>
            <Button onClick={() => setOutcomeOpen(true)}>Record outcome</Button>
          </div>
        ) : null}
      </form>
      {canEdit ? (
        <OutcomeDialog open={outcomeOpen} onOpenChange={setOutcomeOpen} batch={batch} size={size} settings={form.getValues()} />
      ) : null}
    </Card>
  );
}

const percentInput = fromInput(z.number().min(0, "0–100").max(100, "0–100").nullable());
const outcomeSchema = z.object({
  yield_percent: percentInput,
  weight_check_pass_rate: percentInput,
  notes: z.string().trim().max(5000),
});
type OutcomeForm = { yield_percent: string; weight_check_pass_rate: string; notes: string };

/** How a run with the current settings came out: yield and weight-check pass rate feed the learning. */
function OutcomeDialog({
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
  const form = useForm<OutcomeForm, unknown, z.output<typeof outcomeSchema>>({
    resolver: zodResolver(outcomeSchema) as never,
    defaultValues: { yield_percent: "", weight_check_pass_rate: "", notes: "" },
  });
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
        () => {
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
