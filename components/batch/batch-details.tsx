"use client";

import type { BatchShape as Batch } from "@/lib/client/batches";
import { useBatchSelect, useRateHistory, type BatchPageData } from "@/lib/client/batches";
import { formatCount, formatDateTime, formatHours, formatRate } from "@/lib/client/format";
import { Card, CardTitle } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { useSettings } from "@/lib/client/settings";
import { MassBalanceSummary } from "@/components/batch/mass-balance-summary";

const todayTotal = (d: BatchPageData) => d.today?.total ?? null;

const trendLabels = { increasing: "Speeding up", decreasing: "Slowing down", stable: "Steady" } as const;

/** Batch details: work hours, start/finish, rates, today's production, the ETA and the mass balance. */
export function BatchDetails({ batch }: { batch: Batch }) {
  const rate = useRateHistory(batch.id);
  // Only today's total: a count tap (optimistic) does not re-render the details.
  const today = useBatchSelect(batch.id, todayTotal).data ?? null;
  const metrics = rate.data?.rate_metrics ?? batch.rate_metrics;
  const tolerance = useSettings().data?.mass_balance_tolerance_percent;
  return (
    <Card aria-labelledby="details-title">
      <CardTitle>
        <span id="details-title">Batch details</span>
      </CardTitle>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Work hours" value={formatHours(batch.total_work_hours)} />
        <Stat label="Started" value={formatDateTime(batch.production_start_time)} />
        <Stat label="Finished" value={formatDateTime(batch.production_end_time)} />
        <Stat label="Today" value={today === null ? "…" : `${formatCount(today)} pre-rolls`} />
        <Stat label="Rate now" value={formatRate(metrics?.current_rate ?? batch.cached_production_rate)} />
        <Stat label="Average rate" value={formatRate(metrics?.average_rate)} />
        <Stat label="Best rate" value={formatRate(metrics?.peak_rate)} />
        <Stat label="Trend" value={metrics ? trendLabels[metrics.trend] : "—"} />
        <Stat
          label="ETA"
          value={rate.data?.eta_working_hours ? `${formatHours(rate.data.eta_working_hours)} of work` : "—"}
          hint={rate.data?.estimated_completion ? `about ${formatDateTime(rate.data.estimated_completion)}` : undefined}
        />
        <Stat
          label="Input"
          value={`${batch.input_grams.toLocaleString("en-US")} g`}
          hint={batch.harvest_date ? `harvested ${batch.harvest_date}` : undefined}
        />
        <Stat label="Grind" value={batch.grind_size ?? "—"} />
        <Stat label="METRC" value={<span className="break-all text-base">{batch.origin_metrc_number ?? "—"}</span>} />
      </dl>
      <MassBalanceSummary
        className="mt-3"
        balance={batch.mass_balance}
        inputGrams={batch.input_grams}
        parts={batch}
        tolerancePercent={tolerance}
      />
    </Card>
  );
}
