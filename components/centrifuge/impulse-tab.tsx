"use client";

import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Stat } from "@/components/ui/stat";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { cx } from "@/components/ui/cx";
import { lazyZodResolver, validateLazily } from "@/lib/client/lazy-zod-resolver";
import { serverFieldMessages } from "@/lib/client/form-errors";
import {
  useBatchComparison,
  useImpulse,
  useImpulseZones,
  useTargetMatch,
  type BatchComparisonInput,
  type ImpulseInput,
  type TargetMatchInput,
} from "@/lib/client/centrifuge-desk";
import type { CentrifugeMachine } from "@/lib/domain/centrifuge/centrifuge-response";
import type { ImpulseZoneBands } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import type { impulseCalculateSchema, targetMatchSchema } from "@/lib/domain/centrifuge/tool-requests";
import { DataTable, formatG, formatImpulse, formatNumber, formatRpm, SelectField, ZoneBadge } from "@/components/centrifuge/shared";

const schemas = () => import("@/lib/domain/centrifuge/tool-requests");

type ImpulseForm = { rpm: string; time_seconds: string; weight_grams: string; centrifuge_type: string };
const impulseResolver = lazyZodResolver<ImpulseForm, z.output<typeof impulseCalculateSchema>>(() =>
  schemas().then((m) => m.impulseCalculateSchema as never),
);

type TargetForm = ImpulseForm & { target_impulse: string; adjust_mode: "rpm" | "time" };
const targetResolver = lazyZodResolver<TargetForm, z.output<typeof targetMatchSchema>>(() =>
  schemas().then((m) => m.targetMatchSchema as never),
);

const FIELD_NAMES = { rpm: "rpm", time_seconds: "time_seconds", weight_grams: "weight_grams", centrifuge_type: "centrifuge_type" } as const;

/** Impulse tab: impulse of a setting and its zone, the zones, settings for a target impulse, one setting across fill weights. */
export function ImpulseTab({ machines, defaultMachine }: { machines: CentrifugeMachine[]; defaultMachine: string }) {
  const [impulseInput, setImpulseInput] = useState<ImpulseInput>({
    rpm: 2200,
    time_seconds: 15,
    weight_grams: 1,
    centrifuge_type: defaultMachine,
  });
  const impulse = useImpulse(impulseInput);
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <ImpulseCalculator machines={machines} input={impulseInput} onSubmit={setImpulseInput} result={impulse} />
      <ZonesCard current={impulse.data?.data.impulse_zone ?? null} value={impulse.data?.data.impulse_newton_seconds ?? null} />
      <TargetMatch machines={machines} defaultMachine={defaultMachine} />
      <BatchComparison machines={machines} defaultMachine={defaultMachine} />
    </div>
  );
}

function MachineOptions({ machines }: { machines: CentrifugeMachine[] }) {
  return machines.map((m) => (
    <option key={m.id} value={m.id}>
      {m.name}
    </option>
  ));
}

function ImpulseCalculator({
  machines,
  input,
  onSubmit,
  result,
}: {
  machines: CentrifugeMachine[];
  input: ImpulseInput;
  onSubmit: (input: ImpulseInput) => void;
  result: ReturnType<typeof useImpulse>;
}) {
  impulseResolver.preload();
  const form = useForm<ImpulseForm, unknown, z.output<typeof impulseCalculateSchema>>({
    resolver: impulseResolver,
    defaultValues: {
      rpm: String(input.rpm),
      time_seconds: String(input.time_seconds),
      weight_grams: String(input.weight_grams),
      centrifuge_type: input.centrifuge_type,
    },
  });
  const errors = form.formState.errors;
  const server = serverFieldMessages(result.error, FIELD_NAMES);
  const submit = form.handleSubmit((v) =>
    onSubmit({
      rpm: v.rpm,
      time_seconds: v.time_seconds,
      weight_grams: v.weight_grams,
      centrifuge_type: v.centrifuge_type ?? input.centrifuge_type,
    }),
  );
  const data = result.data?.data;
  return (
    <Card aria-labelledby="impulse-calculator-heading">
      <CardTitle>
        <span id="impulse-calculator-heading">Impulse calculator</span>
      </CardTitle>
      <form onSubmit={submit} noValidate className="grid grid-cols-2 items-start gap-3">
        <Field label="RPM" inputMode="decimal" autoComplete="off" error={errors.rpm?.message ?? server.rpm} {...form.register("rpm")} />
        <Field
          label="Time (s)"
          inputMode="decimal"
          autoComplete="off"
          error={errors.time_seconds?.message ?? server.time_seconds}
          {...form.register("time_seconds")}
        />
        <Field
          label="Weight (g)"
          hint="Material per pre-roll"
          inputMode="decimal"
          autoComplete="off"
          error={errors.weight_grams?.message ?? server.weight_grams}
          {...form.register("weight_grams")}
        />
        <SelectField label="Machine" {...form.register("centrifuge_type")}>
          <MachineOptions machines={machines} />
        </SelectField>
        <div className="col-span-2">
          <Button type="submit" variant="primary" busy={result.isFetching}>
            Calculate impulse
          </Button>
        </div>
      </form>
      <div role="region" aria-label="Impulse result" aria-live="polite" className="mt-4">
        {result.isError && Object.keys(server).length === 0 ? (
          <ErrorState title="Could not calculate the impulse" error={result.error} onRetry={() => void result.refetch()} />
        ) : data ? (
          <dl className="grid grid-cols-3 gap-3">
            <Stat label="Impulse" value={formatImpulse(data.impulse_newton_seconds)} />
            <Stat label="G-force" value={formatG(data.g_force)} />
            <Stat
              label="Impulse zone"
              value={<ZoneBadge kind="impulse" zone={data.impulse_zone} label={data.impulse_zones[data.impulse_zone]?.label} />}
            />
          </dl>
        ) : (
          <Loading label="Calculating the impulse">
            <Skeleton className="h-20" />
          </Loading>
        )}
      </div>
    </Card>
  );
}

/** The impulse bands (a setting), with the calculator's result marked. */
function ZonesCard({ current, value }: { current: string | null; value: number | null }) {
  const zones = useImpulseZones();
  return (
    <Card aria-labelledby="impulse-zones-heading">
      <CardTitle>
        <span id="impulse-zones-heading">Impulse zones</span>
      </CardTitle>
      {zones.isError ? (
        <ErrorState title="Could not load the impulse zones" error={zones.error} onRetry={() => void zones.refetch()} />
      ) : !zones.data ? (
        <Loading label="Loading the impulse zones">
          <Skeleton className="h-48" />
        </Loading>
      ) : (
        <ZoneList zones={zones.data.data} current={current} value={value} />
      )}
    </Card>
  );
}

function ZoneList({ zones, current, value }: { zones: ImpulseZoneBands; current: string | null; value: number | null }) {
  const entries = Object.entries(zones);
  return (
    <ol className="space-y-2">
      {entries.map(([key, zone], i) => {
        const here = key === current;
        return (
          <li
            key={key}
            aria-current={here ? "true" : undefined}
            className={cx("rounded-xl border p-3", here ? "border-green-500 bg-green-950/40" : "border-neutral-800 bg-neutral-950/40")}
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="flex items-center gap-2">
                <ZoneBadge kind="impulse" zone={key} label={zone.label} />
                <span className="tabular-nums text-neutral-200">
                  {formatNumber(zone.min, 1)}–{formatNumber(zone.max, 1)} N·s{i === entries.length - 1 ? " and above" : ""}
                </span>
              </div>
              {here && value !== null ? <span className="font-semibold text-green-300">Your setting: {formatImpulse(value)}</span> : null}
            </div>
            {zone.description ? <p className="mt-1 text-sm text-neutral-300">{zone.description}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

/** The rpm (time fixed) or the time (rpm fixed) that gives a target impulse. */
function TargetMatch({ machines, defaultMachine }: { machines: CentrifugeMachine[]; defaultMachine: string }) {
  targetResolver.preload();
  const [input, setInput] = useState<TargetMatchInput | null>(null);
  const result = useTargetMatch(input);
  const form = useForm<TargetForm, unknown, z.output<typeof targetMatchSchema>>({
    resolver: targetResolver,
    defaultValues: {
      target_impulse: "95",
      adjust_mode: "rpm",
      rpm: "2200",
      time_seconds: "15",
      weight_grams: "1",
      centrifuge_type: defaultMachine,
    },
  });
  const errors = form.formState.errors;
  const server = serverFieldMessages(result.error, { ...FIELD_NAMES, target_impulse: "target_impulse" });
  const mode = useWatch({ control: form.control, name: "adjust_mode" });
  const submit = form.handleSubmit((v) =>
    setInput({
      target_impulse: v.target_impulse,
      adjust_mode: v.adjust_mode,
      rpm: v.rpm,
      time_seconds: v.time_seconds,
      weight_grams: v.weight_grams,
      centrifuge_type: v.centrifuge_type ?? defaultMachine,
    }),
  );
  const data = result.data?.data;
  const limit = data?.limited_by
    ? {
        min_rpm: "the machine's lowest speed",
        max_rpm: "the machine's top speed",
        min_time: "the shortest run (1 s)",
        max_time: "the longest run (90 s)",
      }[data.limited_by]
    : null;
  return (
    <Card aria-labelledby="target-match-heading">
      <CardTitle>
        <span id="target-match-heading">Target match</span>
      </CardTitle>
      <form onSubmit={submit} noValidate className="grid grid-cols-2 items-start gap-3">
        <Field
          label="Target impulse (N·s)"
          inputMode="decimal"
          autoComplete="off"
          error={errors.target_impulse?.message ?? server.target_impulse}
          {...form.register("target_impulse")}
        />
        <SelectField label="Adjust" {...form.register("adjust_mode")}>
          <option value="rpm">RPM (keep the time)</option>
          <option value="time">Time (keep the rpm)</option>
        </SelectField>
        <Field
          label="Speed (rpm)"
          inputClassName="disabled:cursor-not-allowed disabled:border-neutral-800 disabled:text-neutral-300"
          hint={mode === "rpm" ? "Solved for" : undefined}
          disabled={mode === "rpm"}
          inputMode="decimal"
          autoComplete="off"
          error={errors.rpm?.message ?? server.rpm}
          {...form.register("rpm")}
        />
        <Field
          label="Run time (s)"
          inputClassName="disabled:cursor-not-allowed disabled:border-neutral-800 disabled:text-neutral-300"
          hint={mode === "time" ? "Solved for" : undefined}
          disabled={mode === "time"}
          inputMode="decimal"
          autoComplete="off"
          error={errors.time_seconds?.message ?? server.time_seconds}
          {...form.register("time_seconds")}
        />
        <Field
          label="Pre-roll weight (g)"
          inputMode="decimal"
          autoComplete="off"
          error={errors.weight_grams?.message ?? server.weight_grams}
          {...form.register("weight_grams")}
        />
        <SelectField label="Machine to match on" {...form.register("centrifuge_type")}>
          <MachineOptions machines={machines} />
        </SelectField>
        <div className="col-span-2">
          <Button type="submit" variant="primary" busy={result.isFetching}>
            Find settings
          </Button>
        </div>
      </form>
      <div role="region" aria-label="Target match result" aria-live="polite" className="mt-4">
        {result.isError && Object.keys(server).length === 0 ? (
          <ErrorState title="Could not match the target" error={result.error} onRetry={() => void result.refetch()} />
        ) : data ? (
          <>
            <dl className="grid grid-cols-3 gap-3">
              {data.adjust_mode === "rpm" ? (
                <Stat label="Set RPM to" value={formatNumber(data.rpm)} hint={`for ${formatNumber(data.time_seconds)} s`} />
              ) : (
                <Stat label="Set time to" value={`${formatNumber(data.time_seconds)} s`} hint={`at ${formatRpm(data.rpm)}`} />
              )}
              <Stat label="Impulse reached" value={formatImpulse(data.achieved_impulse)} hint={formatG(data.g_force)} />
              <Stat label="Impulse zone" value={<ZoneBadge kind="impulse" zone={data.impulse_zone} />} />
            </dl>
            {limit ? (
              <p className="mt-3 rounded-xl border border-orange-700 bg-orange-950/60 p-3 text-orange-200">
                The target cannot be reached exactly: held at {limit}.
              </p>
            ) : null}
          </>
        ) : (
          <p className="text-neutral-300">Enter the impulse you want and press Find settings.</p>
        )}
      </div>
    </Card>
  );
}

const DEFAULT_WEIGHTS = "0.5, 0.7, 1.0";
const parseWeights = (text: string) =>
  text
    .split(/[,\s;]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/** One setting applied to several fill weights: heavier pre-rolls take more impulse. */
function BatchComparison({ machines, defaultMachine }: { machines: CentrifugeMachine[]; defaultMachine: string }) {
  const [input, setInput] = useState<BatchComparisonInput>({
    rpm: 2200,
    time_seconds: 15,
    centrifuge_type: defaultMachine,
    batch_weights: [0.5, 0.7, 1.0],
  });
  const [values, setValues] = useState({
    rpm: "2200",
    time_seconds: "15",
    centrifuge_type: defaultMachine,
    batch_weights: DEFAULT_WEIGHTS,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const result = useBatchComparison(input);
  const server = serverFieldMessages(result.error, {
    rpm: "rpm",
    time_seconds: "time_seconds",
    centrifuge_type: "centrifuge_type",
    batch_weights: "batch_weights",
  });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const checked = await validateLazily(() => schemas().then((m) => m.batchComparisonSchema), {
      ...values,
      batch_weights: parseWeights(values.batch_weights),
    });
    setErrors(checked.errors ?? {});
    if (checked.data) setInput({ ...checked.data, centrifuge_type: checked.data.centrifuge_type ?? defaultMachine });
  }
  const field = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  const data = result.data?.data;

  return (
    <Card aria-labelledby="batch-comparison-heading">
      <CardTitle>
        <span id="batch-comparison-heading">Batch comparison</span>
      </CardTitle>
      <form onSubmit={submit} noValidate className="grid grid-cols-2 items-start gap-3">
        <Field label="Comparison RPM" inputMode="decimal" autoComplete="off" error={errors.rpm ?? server.rpm} {...field("rpm")} />
        <Field
          label="Comparison time (s)"
          inputMode="decimal"
          autoComplete="off"
          error={errors.time_seconds ?? server.time_seconds}
          {...field("time_seconds")}
        />
        <Field
          label="Fill weights (g)"
          hint="Separated by commas, e.g. 0.5, 0.7, 1.0"
          autoComplete="off"
          error={errors.batch_weights ?? server.batch_weights}
          {...field("batch_weights")}
        />
        <SelectField label="Comparison machine" {...field("centrifuge_type")}>
          <MachineOptions machines={machines} />
        </SelectField>
        <div className="col-span-2">
          <Button type="submit" variant="primary" busy={result.isFetching}>
            Compare weights
          </Button>
        </div>
      </form>
      <div className="mt-4">
        {result.isError && Object.keys(server).length === 0 ? (
          <ErrorState title="Could not compare the weights" error={result.error} onRetry={() => void result.refetch()} />
        ) : !data ? (
          <Loading label="Comparing weights">
            <Skeleton className="h-32" />
          </Loading>
        ) : data.comparisons.length === 0 ? (
          <EmptyState title="No weights to compare">Enter one or more fill weights in grams.</EmptyState>
        ) : (
          <>
            <p className="mb-2 text-neutral-300">
              {formatRpm(data.rpm)} for {formatNumber(data.time_seconds)} s = {formatG(data.g_force)}
            </p>
            <DataTable
              caption="Impulse per fill weight"
              columns={["Weight", "Impulse", "Zone"]}
              rows={data.comparisons.map((c) => [
                `${formatNumber(c.weight_grams, 2)} g`,
                formatImpulse(c.impulse_newton_seconds),
                <ZoneBadge key="zone" kind="impulse" zone={c.impulse_zone} />,
              ])}
            />
          </>
        )}
      </div>
    </Card>
  );
}
