"use client";

import { useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { useForm, useWatch, type FieldErrors, type Path, type Resolver, type UseFormReturn } from "react-hook-form";
import { toNestErrors } from "@hookform/resolvers";
import { Tabs } from "radix-ui";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { CheckboxField, SelectField, TextAreaField } from "@/components/ui/form-controls";
import { cx } from "@/components/ui/cx";
import { ApiRequestError } from "@/lib/client/api";
import { useAllocationPreview } from "@/lib/client/batch-desk";
import { useSettings } from "@/lib/client/settings";
import { formatCount, packagingStatusLabels, sizeLabel, testingStatusLabels } from "@/lib/client/format";
import { capPlan } from "@/lib/domain/batches/allocation";
import { createBatchSchema, recordCountsSchema, updateBatchSchema } from "@/lib/domain/batches/batch-schema";
import { grindSizes, packagingStatuses, sizeGrams, sizes, stageNames, testingStatuses, type Size } from "@/lib/domain/batches/constants";
import {
  centrifugeKeys,
  createBody,
  editChanges,
  formFieldOf,
  planBody,
  type BatchFormValues,
} from "@/components/batch-desk/batch-form-values";

export type BatchFormMode = "create" | "edit";

/** zod 4's words for a number input holding text are not for people. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.expected === "number") return "Enter a number";
  return issue.message;
}

/**
 * Client validation with the server's own schemas, on the bodies the form will send: the same
 * rules and the same words as a 400 from the server, under the same fields.
 */
function batchFormResolver(mode: BatchFormMode, initial: BatchFormValues): Resolver<BatchFormValues> {
  return async (values, _context, options) => {
    const issues: { path: PropertyKey[]; message: string }[] = [];
    const check = (schema: z.ZodType, body: unknown, keep?: (path: PropertyKey[]) => boolean) => {
      const result = schema.safeParse(body);
      if (!result.success)
        for (const issue of result.error.issues)
          if (issue.path.length && (!keep || keep(issue.path))) issues.push({ path: issue.path, message: messageOf(issue) });
    };
    if (mode === "create") {
      check(createBatchSchema, { ...createBody(values), ...(planBody(values) ?? {}) });
    } else {
      const changes = editChanges(initial, values);
      if (changes.fields || changes.plan) check(updateBatchSchema, { ...(changes.fields ?? {}), ...(changes.plan ?? {}) });
      if (changes.counts) check(recordCountsSchema, changes.counts);
    }
    if (!issues.length) return { values, errors: {} };
    const flat: Record<string, { type: string; message: string }> = {};
    for (const issue of issues) flat[formFieldOf(issue.path)] ??= { type: "validate", message: issue.message };
    return { values: {}, errors: toNestErrors(flat, options) as FieldErrors<BatchFormValues> };
  };
}

export function useBatchForm(mode: BatchFormMode, initial: BatchFormValues) {
  const resolver = useMemo(() => batchFormResolver(mode, initial), [mode, initial]);
  return useForm<BatchFormValues>({ defaultValues: initial, resolver, mode: "onSubmit", reValidateMode: "onChange" });
}

type Form = UseFormReturn<BatchFormValues>;

/** A 400's `details.fields` under the form's fields (nested centrifuge paths included); false if none matched. */
export function applyBatchServerErrors(form: Form, error: unknown): boolean {
  if (!(error instanceof ApiRequestError)) return false;
  const known = new Set(Object.keys(form.getValues()));
  let applied = false;
  for (const [path, messages] of Object.entries(error.fields)) {
    const name = formFieldOf(path);
    if (!known.has(name.split(".")[0])) continue;
    form.setError(name as Path<BatchFormValues>, { type: "server", message: messages.join(" ") }, { shouldFocus: !applied });
    applied = true;
  }
  return applied;
}

function errorOf(form: Form, name: Path<BatchFormValues>): string | undefined {
  const parts = name.split(".");
  let node: unknown = form.formState.errors;
  for (const part of parts) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return (node as { message?: string } | undefined)?.message;
}

function NumberField({
  form,
  name,
  label,
  hint,
  step = "any",
}: {
  form: Form;
  name: Path<BatchFormValues>;
  label: string;
  hint?: React.ReactNode;
  step?: string;
}) {
  return <Field label={label} inputMode="decimal" step={step} hint={hint} error={errorOf(form, name)} {...form.register(name)} />;
}

function TextField({
  form,
  name,
  label,
  hint,
  type = "text",
}: {
  form: Form;
  name: Path<BatchFormValues>;
  label: string;
  hint?: React.ReactNode;
  type?: string;
}) {
  return <Field label={label} type={type} hint={hint} error={errorOf(form, name)} inputClassName="text-base" {...form.register(name)} />;
}

function Section({ id, title, children, aside }: { id: string; title: string; children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <Card className="scroll-mt-24" aria-labelledby={`${id}-title`} id={id}>
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-xl font-bold text-green-400">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </Card>
  );
}

/** Debounced so the preview follows typing without a request per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const gramsOf = (v: string | undefined) => {
  const n = Number((v ?? "").replace(",", "."));
  return v?.trim() && Number.isFinite(n) && n >= 0 ? n : null;
};

/** What the typed grams make under the allocation setting, with a way to take it as the plan. */
function AllocationPreview({ form }: { form: Form }) {
  const grams = gramsOf(useWatch({ control: form.control, name: "input_grams" }));
  const preview = useAllocationPreview(useDebounced(grams, 300));
  if (grams === null || grams === 0) return <p className="text-neutral-300">Type the input grams to see how many pre-rolls they make.</p>;
  const data = preview.data;
  return (
    <div role="status" aria-live="polite" className="rounded-xl border border-neutral-700 bg-neutral-950 p-3">
      {data ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <p>
            <span className="font-semibold">{formatCount(data.weight)} g</span> make{" "}
            {sizes.map((s, i) => (
              <span key={s}>
                {i ? " · " : ""}
                <span className="font-semibold tabular-nums">{formatCount(data[`counts_${s}`])}</span> × {sizeLabel(s)}
              </span>
            ))}{" "}
            ({formatCount(data.total_units)} pre-rolls, {formatCount(data.expected_output)} g; allocation {data.allocation.join(" / ")} %)
          </p>
          <Button
            size="md"
            onClick={() => {
              for (const s of sizes) form.setValue(`planned_${s}`, String(data[`counts_${s}`]), { shouldDirty: true });
            }}
          >
            Use as plan
          </Button>
        </div>
      ) : (
        <p className="text-neutral-300">Working out the allocation…</p>
      )}
    </div>
  );
}

/** Whether the typed plan fits the grams, worked out as the server's plan route will cap it. */
function PlanCapPreview({ form }: { form: Form }) {
  const [input, use, p05, p07, p10] = useWatch({
    control: form.control,
    name: ["input_grams", "plan_use_grams", "planned_0_5", "planned_0_7", "planned_1_0"],
  });
  const inputGrams = gramsOf(input);
  if (inputGrams === null) return null;
  const useGrams = gramsOf(use) ?? 0;
  const available = useGrams > 0 ? Math.min(useGrams, inputGrams) : inputGrams;
  const planned = { "0_5": gramsOf(p05) ?? 0, "0_7": gramsOf(p07) ?? 0, "1_0": gramsOf(p10) ?? 0 };
  const needed = sizes.reduce((sum, s) => sum + planned[s] * sizeGrams[s], 0);
  if (needed === 0) return null;
  const capped = capPlan(planned, available);
  return (
    <p
      role="status"
      className={cx(
        "rounded-xl border p-3",
        capped.adjusted ? "border-orange-600 bg-orange-950/50 text-orange-100" : "border-neutral-700 text-neutral-200",
      )}
    >
      The plan takes {formatCount(needed)} g of the {formatCount(available)} g available.
      {capped.adjusted ? (
        <>
          {" "}
          It does not fit: saving caps it to {sizes.map((s) => `${formatCount(capped.planned[s])} × ${sizeLabel(s)}`).join(", ")}{" "}
          (adjusted).
        </>
      ) : null}
    </p>
  );
}

function CentrifugeSizes({ form }: { form: Form }) {
  const settings = useSettings();
  const machines = Object.entries(settings.data?.centrifuge_machines ?? {});
  const [size, setSize] = useState<Size>("0_5");
  const copyToAll = () => {
    for (const other of sizes)
      if (other !== size)
        for (const k of centrifugeKeys)
          form.setValue(`centrifuge.${other}.${k}`, form.getValues(`centrifuge.${size}.${k}`), { shouldDirty: true });
  };
  return (
    <Tabs.Root value={size} onValueChange={(v) => setSize(v as Size)}>
      <Tabs.List aria-label="Centrifuge size" className="mb-4 flex gap-2">
        {sizes.map((s) => (
          <Tabs.Trigger
            key={s}
            value={s}
            className="min-h-11 rounded-xl border border-neutral-700 px-5 font-semibold data-[state=active]:bg-blue-800 data-[state=active]:text-white data-[state=inactive]:hover:bg-neutral-800"
          >
            {sizeLabel(s)}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {sizes.map((s) => (
        <Tabs.Content key={s} value={s} forceMount hidden={s !== size} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <NumberField form={form} name={`centrifuge.${s}.centrifuge_rpm`} label={`RPM (${sizeLabel(s)})`} hint="500–2500" step="1" />
          <NumberField
            form={form}
            name={`centrifuge.${s}.centrifuge_time_seconds`}
            label={`Time, seconds (${sizeLabel(s)})`}
            hint="1–90"
            step="1"
          />
          <NumberField form={form} name={`centrifuge.${s}.centrifuge_cycles`} label={`Cycles (${sizeLabel(s)})`} hint="1–3" step="1" />
          <NumberField
            form={form}
            name={`centrifuge.${s}.centrifuge_fill_gauge_cycle1`}
            label={`Fill gauge, cycle 1 (${sizeLabel(s)})`}
            hint="1–12"
          />
          <NumberField
            form={form}
            name={`centrifuge.${s}.centrifuge_fill_gauge_cycle2`}
            label={`Fill gauge, cycle 2 (${sizeLabel(s)})`}
            hint="1–12, if a second cycle"
          />
          <SelectField
            label={`Machine (${sizeLabel(s)})`}
            error={errorOf(form, `centrifuge.${s}.centrifuge_machine`)}
            {...form.register(`centrifuge.${s}.centrifuge_machine`)}
          >
            <option value="">Not set</option>
            {machines.map(([key, m]) => (
              <option key={key} value={key}>
                {m.name} ({m.radius_inches}″ radius)
              </option>
            ))}
          </SelectField>
          <div className="sm:col-span-2 lg:col-span-3">
            <Button onClick={copyToAll}>Copy {sizeLabel(s)} settings to all sizes</Button>
          </div>
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}

const sectionLinks = [
  ["material", "Strain and material"],
  ["counts", "Counts and plan"],
  ["cannabinoids", "Cannabinoids"],
  ["centrifuge", "Centrifuge"],
  ["testing", "Testing"],
  ["metrc", "METRC"],
  ["packaging", "Packaging"],
] as const;

/**
 * The whole batch in sections (UI-GUIDE §2 `/batches/new`, `/batches/{id}/edit`). The page owns
 * saving; this renders the fields, the allocation preview and the plan's cap.
 */
export function BatchFormFields({ form, mode }: { form: Form; mode: BatchFormMode }) {
  return (
    <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
      <nav aria-label="Form sections" className="hidden lg:block">
        <ul className="sticky top-24 space-y-1">
          {sectionLinks.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`} className="block rounded-lg px-3 py-2 text-neutral-200 hover:bg-neutral-800">
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="space-y-6">
        <Section id="material" title="Strain and material">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="strain" label="Strain" />
            <NumberField form={form} name="input_grams" label="Input grams" hint="Flower weighed in for this batch" />
            <SelectField
              label={mode === "create" ? "Starting stage" : "Stage"}
              hint={mode === "edit" ? "Moving the stage is recorded like a move on the floor" : undefined}
              {...form.register("stage")}
            >
              {stageNames.map((name, i) => (
                <option key={name} value={i}>
                  {i} · {name}
                </option>
              ))}
            </SelectField>
            <TextField form={form} name="harvest_date" label="Harvest date" type="date" />
            <TextField form={form} name="bay_number" label="Bay number" />
            <fieldset className="flex flex-col gap-1">
              <legend className="text-sm font-semibold text-neutral-200">Grind size</legend>
              <div className="flex min-h-12 flex-wrap items-center gap-4">
                {(["", ...grindSizes] as const).map((g) => (
                  <label key={g || "none"} className="flex items-center gap-2">
                    <input type="radio" value={g} className="size-5 accent-green-600" {...form.register("grind_size")} />
                    {g ? g[0].toUpperCase() + g.slice(1) : "Not set"}
                  </label>
                ))}
              </div>
              <p className="text-sm text-neutral-300">Centrifuge recommendations learn per grind size.</p>
            </fieldset>
            <SelectField
              label="Paper size override"
              hint="Which papers this batch draws from, when not its own size"
              {...form.register("paper_size_override")}
            >
              <option value="">Each size uses its own papers</option>
              {sizes.map((s) => (
                <option key={s} value={s}>
                  {sizeLabel(s)} papers
                </option>
              ))}
            </SelectField>
            <CheckboxField label="Infused product" {...form.register("is_infused")} />
            <TextAreaField
              label="Source materials"
              hint="One per line (e.g. the distillate or kief lots an infused batch uses)"
              error={errorOf(form, "source_materials")}
              className="sm:col-span-2"
              {...form.register("source_materials")}
            />
          </div>
          <div className="mt-4">
            <AllocationPreview form={form} />
          </div>
        </Section>

        <Section id="counts" title="Counts and plan">
          <h3 className="mb-2 font-semibold text-neutral-200">Plan</h3>
          <div className="grid gap-4 sm:grid-cols-4">
            {sizes.map((s) => (
              <NumberField key={s} form={form} name={`planned_${s}`} label={`Planned ${sizeLabel(s)}`} step="1" />
            ))}
            <NumberField form={form} name="plan_use_grams" label="Grams for the plan" hint="Empty or 0: all input grams" />
          </div>
          <div className="mt-3">
            <PlanCapPreview form={form} />
          </div>
          {mode === "edit" ? (
            <>
              <h3 className="mb-2 mt-6 font-semibold text-neutral-200">Made so far</h3>
              <div className="grid gap-4 sm:grid-cols-3">
                {sizes.map((s) => (
                  <NumberField
                    key={s}
                    form={form}
                    name={`counts_${s}`}
                    label={`Count ${sizeLabel(s)}`}
                    hint="Running total; corrections are audited"
                    step="1"
                  />
                ))}
              </div>
            </>
          ) : null}
          <div className="mt-4 grid gap-4 sm:grid-cols-3">
            <NumberField form={form} name="grams_ground" label="Grams ground" />
            <NumberField form={form} name="grams_used" label="Grams used" />
            <NumberField form={form} name="labels_printed" label="Labels printed" step="1" />
          </div>
        </Section>

        <Section id="cannabinoids" title="Cannabinoids">
          <div className="grid gap-4 sm:grid-cols-4">
            <NumberField form={form} name="thc_percent" label="THC %" hint="0–100" />
            <NumberField form={form} name="thca_percent" label="THCa %" hint="0–100" />
            <NumberField form={form} name="tac_percent" label="TAC %" hint="0–100" />
            <NumberField form={form} name="cbd_percent" label="CBD %" hint="0–100" />
          </div>
        </Section>

        <Section id="centrifuge" title="Centrifuge per size">
          <CentrifugeSizes form={form} />
        </Section>

        <Section id="testing" title="Testing">
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField label="Testing status" {...form.register("testing_status")}>
              {testingStatuses.map((t) => (
                <option key={t} value={t}>
                  {testingStatusLabels[t]}
                </option>
              ))}
            </SelectField>
            <TextField form={form} name="test_package_id" label="Test package ID" />
            <TextField form={form} name="testing_lab" label="Testing lab" />
            <TextField form={form} name="test_date" label="Test date" type="date" hint="The day the sample went to the lab" />
            <TextAreaField label="Test results" error={errorOf(form, "test_results")} {...form.register("test_results")} />
            <TextAreaField label="Testing notes" error={errorOf(form, "testing_notes")} {...form.register("testing_notes")} />
          </div>
        </Section>

        <Section id="metrc" title="METRC">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="origin_metrc_number" label="Origin METRC number" hint="24 letters or digits" />
            <TextField form={form} name="new_metrc_number" label="New METRC number" hint="The package this batch became" />
            <CheckboxField label="METRC inventory transferred" {...form.register("metrc_transferred")} />
            <CheckboxField label="METRC batch created" {...form.register("metrc_batch_created")} />
            <CheckboxField label="New METRC package created" {...form.register("new_metrc_created")} />
          </div>
        </Section>

        <Section id="packaging" title="Packaging">
          <div className="grid gap-4 sm:grid-cols-3">
            <SelectField label="Packaging status" {...form.register("packaging_status")}>
              {packagingStatuses.map((p) => (
                <option key={p} value={p}>
                  {packagingStatusLabels[p]}
                </option>
              ))}
            </SelectField>
            <TextField form={form} name="packaging_blocker_type" label="What it waits for" />
            <TextAreaField label="Packaging notes" error={errorOf(form, "packaging_notes")} {...form.register("packaging_notes")} />
            {sizes.map((s) => (
              <NumberField key={s} form={form} name={`final_weight_${s}`} label={`Final weight ${sizeLabel(s)} (g)`} />
            ))}
            <NumberField form={form} name="packaged_singles" label="Singles packed" step="1" />
            <NumberField form={form} name="packaged_6_packs" label="6-packs packed" step="1" />
            <NumberField form={form} name="packaged_12_packs" label="12-packs packed" step="1" />
            <NumberField form={form} name="loose_tupperware" label="Loose (tupperware)" step="1" />
            <NumberField form={form} name="lab_sample_grams" label="Lab sample (g)" />
            <NumberField form={form} name="waste_grams" label="Waste (g)" />
            <NumberField form={form} name="remainder_grams" label="Remainder (g)" />
          </div>
        </Section>
      </div>
    </div>
  );
}

/** Save / Cancel, kept in view at the bottom of a long form. */
export function FormActions({
  saveLabel,
  busy,
  cancelHref,
  children,
}: {
  saveLabel: string;
  busy: boolean;
  cancelHref: string;
  children?: React.ReactNode;
}) {
  return (
    <div className="sticky bottom-0 z-10 -mx-4 mt-6 flex flex-wrap items-center gap-3 border-t border-neutral-800 bg-neutral-950/95 px-4 py-3 backdrop-blur">
      <Button type="submit" variant="primary" busy={busy}>
        {busy ? "Saving…" : saveLabel}
      </Button>
      <Link
        href={cancelHref}
        className="inline-flex min-h-12 items-center rounded-xl px-4 font-semibold text-neutral-100 hover:bg-neutral-800"
      >
        Cancel
      </Link>
      {children}
    </div>
  );
}
