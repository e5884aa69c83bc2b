"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Stat } from "@/components/ui/stat";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { serverFieldMessages } from "@/lib/client/form-errors";
import { CURVE, useCalculateForce, useCompareMachines, useForceCurves, type CalculateInput } from "@/lib/client/centrifuge-desk";
import type { CentrifugeMachine } from "@/lib/domain/centrifuge/centrifuge-response";
import type { calculateSchema } from "@/lib/domain/centrifuge/tool-requests";
import {
  chartAxis,
  chartTooltip,
  ChartOrTable,
  DataTable,
  formatG,
  formatNumber,
  formatRpm,
  SelectField,
  SERIES_COLOURS,
  ZoneBadge,
} from "@/components/centrifuge/shared";

type FormValues = { rpm: string; centrifuge_type: string };
type Output = z.output<typeof calculateSchema>;

const resolver = lazyZodResolver<FormValues, Output>(() =>
  import("@/lib/domain/centrifuge/tool-requests").then((m) => m.calculateSchema as never),
);

/** Force tab: rpm → g on a machine, the same force on every other machine, and the force curves. */
export function ForceTab({ machines, defaultMachine }: { machines: CentrifugeMachine[]; defaultMachine: string }) {
  const [submitted, setSubmitted] = useState<CalculateInput>({ rpm: 2200, centrifuge_type: defaultMachine });
  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <div className="space-y-4">
        <ForceCalculator machines={machines} submitted={submitted} onSubmit={setSubmitted} />
        <MachineComparison machines={machines} input={submitted} />
      </div>
      <ForceCurve machines={machines} rpm={submitted.rpm} />
    </div>
  );
}

function ForceCalculator({
  machines,
  submitted,
  onSubmit,
}: {
  machines: CentrifugeMachine[];
  submitted: CalculateInput;
  onSubmit: (input: CalculateInput) => void;
}) {
  resolver.preload();
  const form = useForm<FormValues, unknown, Output>({
    resolver,
    defaultValues: { rpm: String(submitted.rpm), centrifuge_type: submitted.centrifuge_type },
  });
  const result = useCalculateForce(submitted);
  const serverErrors = serverFieldMessages(result.error, { rpm: "rpm", centrifuge_type: "centrifuge_type" });
  const errors = form.formState.errors;
  const submit = form.handleSubmit((values) =>
    onSubmit({ rpm: values.rpm, centrifuge_type: values.centrifuge_type ?? submitted.centrifuge_type }),
  );
  const machine = machines.find((m) => m.id === result.data?.centrifuge_type);

  return (
    <Card aria-labelledby="force-calculator-heading">
      <CardTitle>
        <span id="force-calculator-heading">Force calculator</span>
      </CardTitle>
      <form onSubmit={submit} noValidate className="grid grid-cols-[1fr_1fr_auto] items-start gap-3">
        <Field
          label="RPM"
          inputMode="decimal"
          autoComplete="off"
          error={errors.rpm?.message ?? serverErrors.rpm}
          {...form.register("rpm")}
        />
        <SelectField label="Machine" {...form.register("centrifuge_type")}>
          {machines.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" className="mt-6" busy={result.isFetching}>
          Calculate
        </Button>
      </form>
      <div aria-live="polite" aria-label="Force result" role="region" className="mt-4">
        {result.isError && !serverErrors.rpm ? (
          <ErrorState title="Could not calculate" error={result.error} onRetry={() => void result.refetch()} />
        ) : result.data ? (
          <>
            <dl className="grid grid-cols-3 gap-3">
              <Stat label="G-force" value={formatG(result.data.g_force)} hint={`at ${formatRpm(result.data.rpm)}`} />
              <Stat label="Rotor radius" value={`${formatNumber(result.data.radius_inches, 3)} in`} hint={result.data.centrifuge_name} />
              <Stat label="Safety zone" value={<ZoneBadge kind="safety" zone={result.data.safety_zone} />} />
            </dl>
            {!result.data.within_machine_limits && machine ? (
              <p className="mt-3 rounded-xl border border-orange-700 bg-orange-950/60 p-3 text-orange-200">
                {machine.name} runs {formatNumber(machine.min_rpm)}–{formatNumber(machine.max_rpm)} rpm: this speed is outside its range.
              </p>
            ) : null}
          </>
        ) : (
          <Loading label="Calculating">
            <Skeleton className="h-20" />
          </Loading>
        )}
      </div>
    </Card>
  );
}

/** The speed each other machine needs for the same g-force. */
function MachineComparison({ machines, input }: { machines: CentrifugeMachine[]; input: CalculateInput }) {
  const compare = useCompareMachines({ rpm: input.rpm, source_centrifuge: input.centrifuge_type });
  return (
    <Card aria-labelledby="machine-comparison-heading">
      <CardTitle>
        <span id="machine-comparison-heading">Machine comparison</span>
      </CardTitle>
      {compare.isError ? (
        <ErrorState title="Could not compare machines" error={compare.error} onRetry={() => void compare.refetch()} />
      ) : !compare.data ? (
        <Loading label="Comparing machines">
          <Skeleton className="h-28" />
        </Loading>
      ) : machines.length < 2 ? (
        <p className="text-neutral-300">Only one machine is set up; add another on the Machines tab to compare.</p>
      ) : (
        <>
          <p className="mb-3 text-neutral-300">
            The same force as {formatRpm(compare.data.source.rpm)} on the {compare.data.source.name} ({formatG(compare.data.source.g_force)}
            ):
          </p>
          <DataTable
            caption="Speed for the same g-force on each machine"
            columns={["Machine", "RPM", "G-force", "Within its range"]}
            rows={[
              [`${compare.data.source.name} (source)`, formatNumber(compare.data.source.rpm), formatG(compare.data.source.g_force), "—"],
              ...Object.values(compare.data.equivalent).map((e) => [
                e.name,
                formatNumber(e.rpm),
                formatG(e.g_force),
                e.within_limits ? "Yes" : <span className="text-orange-300">No — outside its rpm range</span>,
              ]),
            ]}
          />
        </>
      )}
    </Card>
  );
}

/** g-force against rpm for every machine, one line each, with the calculator's rpm marked. */
function ForceCurve({ machines, rpm }: { machines: CentrifugeMachine[]; rpm: number }) {
  const curves = useForceCurves(machines.map((m) => m.id));
  const failed = curves.find((c) => c.isError);
  const ready = curves.every((c) => c.data);
  // One row per rpm with each machine's g-force (a few dozen points: no memo needed).
  const byRpm = new Map<number, Record<string, number>>();
  if (ready)
    curves.forEach((c, i) => {
      for (const p of c.data!.data) byRpm.set(p.rpm, { ...(byRpm.get(p.rpm) ?? { rpm: p.rpm }), [machines[i].id]: p.g_force });
    });
  const points = [...byRpm.values()].sort((a, b) => a.rpm - b.rpm);

  return (
    <Card aria-labelledby="force-curve-heading">
      <CardTitle>
        <span id="force-curve-heading">Force curve</span>
      </CardTitle>
      {failed ? (
        <ErrorState title="Could not load the force curve" error={failed.error} onRetry={() => curves.forEach((c) => void c.refetch())} />
      ) : !ready ? (
        <Loading label="Loading the force curve">
          <Skeleton className="h-[420px]" />
        </Loading>
      ) : (
        <ChartOrTable
          title={`G-force by rpm, ${formatNumber(CURVE.rpm_min)}–${formatNumber(CURVE.rpm_max)} rpm`}
          chart={
            <div
              className="h-[420px]"
              role="img"
              aria-label="Line chart of g-force against rpm per machine; use Show as table for the values"
            >
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={points} margin={{ top: 28, right: 16, bottom: 24, left: 16 }}>
                  <CartesianGrid stroke="#404040" strokeDasharray="3 3" />
                  <XAxis
                    dataKey="rpm"
                    type="number"
                    domain={[CURVE.rpm_min, CURVE.rpm_max]}
                    {...chartAxis}
                    label={{ value: "RPM", position: "insideBottom", offset: -12, fill: "#d4d4d4" }}
                  />
                  <YAxis {...chartAxis} width={64} label={{ value: "g", angle: -90, position: "insideLeft", fill: "#d4d4d4" }} />
                  <Tooltip {...chartTooltip} formatter={(value) => formatG(Number(value))} labelFormatter={(v) => formatRpm(Number(v))} />
                  <Legend wrapperStyle={{ color: "#e5e5e5", paddingTop: 12 }} />
                  <ReferenceLine
                    x={rpm}
                    stroke="#f5f5f5"
                    strokeDasharray="4 4"
                    label={{ value: formatRpm(rpm), fill: "#f5f5f5", position: "top" }}
                  />
                  {machines.map((m, i) => (
                    <Line
                      key={m.id}
                      dataKey={m.id}
                      name={m.name}
                      stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                      strokeWidth={2}
                      dot={false}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          }
          table={
            <DataTable
              caption="G-force by rpm per machine"
              columns={["RPM", ...machines.map((m) => `${m.name} (g)`)]}
              rows={points.map((p) => [formatNumber(p.rpm), ...machines.map((m) => formatNumber(p[m.id], 1))])}
              maxHeight="max-h-[420px]"
            />
          }
        />
      )}
      <p className="mt-3 text-sm text-neutral-300">RCF (g) = 1.118 × 10⁻⁵ × radius (cm) × rpm².</p>
    </Card>
  );
}
