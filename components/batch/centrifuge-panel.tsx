"use client";

import { memo, useState } from "react";
import { Sparkles } from "lucide-react";
import { toast } from "@/components/ui/toast";
import type { BatchShape as Batch } from "@/lib/client/batches";
import type { Size } from "@/lib/domain/batches/constants";
import { validateLazily } from "@/lib/client/lazy-zod-resolver";
import type { ZodType } from "zod";
import dynamic from "next/dynamic";

// Loaded when first opened (not part of the batch page's first JavaScript).
const OutcomeDialog = dynamic(() => import("@/components/batch/outcome-dialog").then((m) => m.OutcomeDialog), { ssr: false });
import { useCentrifugeRecommendations, useSaveCentrifugeSettings } from "@/lib/client/centrifuge";
import { queuedNote } from "@/lib/client/batches";
import { serverFieldMessages } from "@/lib/client/form-errors";
import { sizeLabel } from "@/lib/client/format";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Badge } from "@/components/ui/badge";

const FIELDS = [
  "centrifuge_rpm",
  "centrifuge_time_seconds",
  "centrifuge_cycles",
  "centrifuge_fill_gauge_cycle1",
  "centrifuge_fill_gauge_cycle2",
] as const;
export type SettingsForm = Record<(typeof FIELDS)[number], string>;
type SettingsValues = Record<(typeof FIELDS)[number], number | null>;

const schemas = () => import("@/components/batch/batch-form-schemas");
const loadSettingsSchema = () => schemas().then((m) => m.centrifugeSettingsSchema as never as ZodType<SettingsValues>);

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

type PanelProps = { batch: Batch; size: Size; canEdit: boolean };

/** What the panel shows of a batch: a count tap (which changes the batch) does not re-render it. */
const centrifugeView = (b: Batch) =>
  JSON.stringify([b.id, b.strain, b.grind_size, b.centrifuge_settings_by_size, ...FIELDS.map((k) => b[k])]);

export const CentrifugePanel = memo(
  CentrifugePanelView,
  (a: PanelProps, b: PanelProps) => a.size === b.size && a.canEdit === b.canEdit && centrifugeView(a.batch) === centrifugeView(b.batch),
);

function CentrifugePanelView({ batch, size, canEdit }: PanelProps) {
  // Switching sizes (or another tablet saving) starts the form afresh from that size's saved settings.
  const saved = currentSettings(batch, size);
  return <CentrifugeEditor key={`${size}:${JSON.stringify(saved)}`} batch={batch} size={size} canEdit={canEdit} saved={saved} />;
}

function CentrifugeEditor({ batch, size, canEdit, saved }: PanelProps & { saved: SettingsForm }) {
  const recs = useCentrifugeRecommendations(batch.strain, batch.grind_size);
  const save = useSaveCentrifugeSettings(batch.id);
  const [values, setValues] = useState<SettingsForm>(saved);
  const [errors, setErrors] = useState<Partial<Record<keyof SettingsForm, string>>>({});
  const [outcomeOpen, setOutcomeOpen] = useState(false);
  const recommendation = recs.data?.recommendations[size];

  const applyRecommended = () => {
    if (!recommendation?.has_data) return;
    setValues({
      centrifuge_rpm: String(recommendation.rpm),
      centrifuge_time_seconds: String(recommendation.time_seconds),
      centrifuge_cycles: String(recommendation.cycles),
      centrifuge_fill_gauge_cycle1: recommendation.fill_gauge_cycle1 === null ? "" : String(recommendation.fill_gauge_cycle1),
      centrifuge_fill_gauge_cycle2: recommendation.fill_gauge_cycle2 === null ? "" : String(recommendation.fill_gauge_cycle2),
    });
    setErrors({});
    toast.info("Recommended settings filled in — Save settings to keep them");
  };

  // The server's field rules (lib/domain/batches/batch-schema.ts), loaded on first use.
  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const checked = await validateLazily(loadSettingsSchema, values);
    if (checked.errors) return setErrors(checked.errors);
    setErrors({});
    save.mutate(
      { size, ...checked.data },
      {
        onSuccess: (res) =>
          res.status === "applied" ? toast.success(`Centrifuge settings saved for ${size.replace("_", ".")}g`) : toast.info(queuedNote),
        onError: (error) => {
          const placed = serverFieldMessages(error, Object.fromEntries(FIELDS.map((k) => [k, k])) as Record<keyof SettingsForm, string>);
          if (Object.keys(placed).length > 0) setErrors(placed);
          else toast.error(error.message);
        },
      },
    );
  };

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
        <fieldset disabled={!canEdit} className="grid grid-cols-3 gap-3" onFocus={() => void loadSettingsSchema()}>
          <legend className="sr-only">Settings for {sizeLabel(size)}</legend>
          {FIELDS.map((key) => (
            <Field
              key={key}
              label={labels[key]}
              inputMode="numeric"
              name={key}
              value={values[key]}
              onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
              error={errors[key]}
            />
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
      {canEdit && outcomeOpen ? <OutcomeDialog open onOpenChange={setOutcomeOpen} batch={batch} size={size} settings={values} /> : null}
    </Card>
  );
}
