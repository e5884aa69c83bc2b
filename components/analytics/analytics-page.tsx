"use client";

import dynamic from "next/dynamic";
import { useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { OptionSelect } from "@/components/ui/select-field";
import { Stat } from "@/components/ui/stat";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { ChartCard, ChartSkeleton, DataTable } from "@/components/analytics/chart-card";
import {
  averageRate,
  batchesDone,
  finishedGoodsGrams,
  periodDays,
  periodStart,
  PERIODS,
  productionDays,
  rateRows,
  ratePoints,
  shortDate,
  type Period,
  type SizeFilter,
} from "@/components/analytics/series";
import { useAllBatches, useAnalyticsSeries, useFinishedGoodsHistory, useOverview, useProductionHistory } from "@/lib/client/analytics";
import { formatCount, formatRate, sizeLabel } from "@/lib/client/format";
import { sizes, type Size } from "@/lib/domain/batches/constants";

// recharts loads with the page's charts only (never on floor pages); the tables need none of it.
const loading = () => <ChartSkeleton />;
const ProductionChart = dynamic(() => import("@/components/analytics/charts").then((m) => m.ProductionChart), { ssr: false, loading });
const RateChart = dynamic(() => import("@/components/analytics/charts").then((m) => m.RateChart), { ssr: false, loading });
const StageChart = dynamic(() => import("@/components/analytics/charts").then((m) => m.StageChart), { ssr: false, loading });
const GramsChart = dynamic(() => import("@/components/analytics/charts").then((m) => m.GramsChart), { ssr: false, loading });
const PapersChart = dynamic(() => import("@/components/analytics/charts").then((m) => m.PapersChart), { ssr: false, loading });

/** Strains drawn on the rate chart (the table lists every batch). */
const MAX_RATE_LINES = 8;

/** `/analytics`: production cards and charts over a period, for one size or all. */
export function AnalyticsPage() {
  const [period, setPeriod] = useState<Period>(30);
  const [size, setSize] = useState<SizeFilter>("all");
  const sizeText = size === "all" ? "all sizes" : sizeLabel(size);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Analytics</h1>
          <p className="text-neutral-300">
            Production over the last {period} days, {sizeText}.
          </p>
        </div>
        <form className="flex flex-wrap gap-3" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          <OptionSelect
            label="Period"
            value={String(period)}
            onChange={(v) => setPeriod(Number(v) as Period)}
            options={PERIODS.map((p) => [String(p), `Last ${p} days`] as const)}
          />
          <OptionSelect
            label="Size"
            value={size}
            onChange={(v) => setSize(v as SizeFilter)}
            options={[["all", "All sizes"], ...sizes.map((s) => [s, sizeLabel(s)] as const)]}
          />
        </form>
      </div>
      <SummaryCards period={period} size={size} />
      <div className="grid gap-4 lg:grid-cols-2">
        <ProductionCard period={period} size={size} />
        <RateCard period={period} size={size} />
        <StageCard period={period} />
        <GramsCard period={period} />
        <PapersCard period={period} size={size} />
      </div>
    </div>
  );
}

function SummaryCards({ period, size }: { period: Period; size: SizeFilter }) {
  const production = useProductionHistory(period);
  const batches = useAllBatches();
  const overview = useOverview();
  const done = useMemo(() => (batches.data ? batchesDone(batches.data, periodStart(period)) : null), [batches.data, period]);
  const made = production.data ? productionDays(production.data, size).reduce((s, d) => s + d.total, 0) : null;
  const rate = done ? averageRate(done, size) : null;
  const failed = [production, batches, overview].find((q) => q.isError);
  if (failed) {
    return (
      <ErrorState
        title="Could not load the figures"
        error={failed.error}
        onRetry={() => [production, batches, overview].forEach((q) => void q.refetch())}
      />
    );
  }
  const value = (v: React.ReactNode, ready: boolean) => (ready ? v : <Skeleton className="h-7 w-20" />);
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" aria-label="Summary">
      <Stat label="Batches done" value={value(done?.length ?? 0, !!done)} hint={`finished in the last ${period} days`} />
      <Stat
        label="Pre-rolls made"
        value={value(formatCount(made ?? 0), made !== null)}
        hint={size === "all" ? "all sizes" : sizeLabel(size)}
      />
      <Stat label="Average rate" value={value(formatRate(rate), !!done)} hint="per work hour, batches done" />
      <Stat label="Active batches" value={value(overview.data?.total_active ?? 0, !!overview.data)} hint="on the board now" />
    </dl>
  );
}

function LoadingCard({ title }: { title: string }) {
  return (
    <Card aria-busy="true" aria-label={`Loading ${title}`}>
      <Skeleton className="mb-3 h-7 w-56" />
      <ChartSkeleton />
    </Card>
  );
}

function ProductionCard({ period, size }: { period: Period; size: SizeFilter }) {
  const production = useProductionHistory(period);
  const title = "Production per day";
  if (production.isPending) return <LoadingCard title={title} />;
  if (production.isError)
    return <ErrorState title="Could not load production" error={production.error} onRetry={() => void production.refetch()} />;
  const rows = productionDays(production.data, size);
  const shown: readonly Size[] = size === "all" ? sizes : [size];
  return (
    <ChartCard
      title={title}
      description="Pre-rolls counted each day, by size (net of corrections)."
      empty={
        rows.every((r) => r.total === 0) ? (
          <EmptyState title="Nothing counted in this period">Counts entered on a batch page show up here.</EmptyState>
        ) : undefined
      }
      chart={<ProductionChart rows={rows} size={size} />}
      table={
        <DataTable
          caption="Pre-rolls made per day"
          columns={[
            { key: "date", label: "Day" },
            ...shown.map((s) => ({ key: s, label: sizeLabel(s), numeric: true })),
            { key: "total", label: "Total", numeric: true },
          ]}
          rows={rows.map((r) => ({
            key: r.date,
            cells: [shortDate(r.date), ...shown.map((s) => formatCount(r[s])), formatCount(r.total)],
          }))}
        />
      }
    />
  );
}

function RateCard({ period, size }: { period: Period; size: SizeFilter }) {
  const batches = useAllBatches();
  const title = "Rate over time per strain";
  const since = periodStart(period);
  if (batches.isPending) return <LoadingCard title={title} />;
  if (batches.isError) return <ErrorState title="Could not load batches" error={batches.error} onRetry={() => void batches.refetch()} />;
  const points = ratePoints(batchesDone(batches.data, since), size);
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.strain, (counts.get(p.strain) ?? 0) + 1);
  const drawn = new Set(
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_RATE_LINES)
      .map(([s]) => s),
  );
  const { rows, strains } = rateRows(points.filter((p) => drawn.has(p.strain)));
  return (
    <ChartCard
      title={title}
      description={`Units of ${size === "all" ? "every size" : sizeLabel(size)} per work hour of each batch finished in the period${counts.size > MAX_RATE_LINES ? `; the ${MAX_RATE_LINES} strains with most batches are drawn, the table lists all` : ""}.`}
      empty={
        points.length === 0 ? (
          <EmptyState title="No batch finished in this period">A batch moved to Finished with work hours shows its rate here.</EmptyState>
        ) : undefined
      }
      chart={<RateChart rows={rows} strains={strains} />}
      table={
        <DataTable
          caption="Rate per finished batch"
          columns={[
            { key: "date", label: "Finished" },
            { key: "strain", label: "Strain" },
            { key: "rate", label: "Rate", numeric: true },
          ]}
          rows={points.map((p) => ({ key: p.batch_id, cells: [shortDate(p.date), p.strain, formatRate(p.rate)] }))}
        />
      }
    />
  );
}

function StageCard({ period }: { period: Period }) {
  const series = useAnalyticsSeries(period);
  const title = "Time per stage";
  if (series.isPending) return <LoadingCard title={title} />;
  if (series.isError) return <ErrorState title="Could not load stage times" error={series.error} onRetry={() => void series.refetch()} />;
  const rows = series.data.stage_times;
  const hours = (h: number | null) => (h === null ? "—" : `${h.toLocaleString("en-US")} h`);
  return (
    <ChartCard
      title={title}
      description="Average wall-clock hours a batch spent in each stage during the period."
      empty={
        rows.every((r) => r.batch_count === 0) ? (
          <EmptyState title="No batch on the floor in this period">Batches moving through stages show up here.</EmptyState>
        ) : undefined
      }
      chart={<StageChart rows={rows} />}
      table={
        <DataTable
          caption="Hours per stage"
          columns={[
            { key: "stage", label: "Stage" },
            { key: "avg", label: "Average per batch", numeric: true },
            { key: "total", label: "Total", numeric: true },
            { key: "batches", label: "Batches", numeric: true },
          ]}
          rows={rows.map((r) => ({
            key: String(r.stage),
            cells: [r.stage_name, hours(r.average_hours), hours(r.total_hours), r.batch_count],
          }))}
        />
      }
    />
  );
}

function GramsCard({ period }: { period: Period }) {
  const history = useFinishedGoodsHistory();
  const title = "Finished goods on hand";
  if (history.isPending) return <LoadingCard title={title} />;
  if (history.isError)
    return <ErrorState title="Could not load finished goods" error={history.error} onRetry={() => void history.refetch()} />;
  const rows = finishedGoodsGrams(history.data.history, periodDays(period));
  return (
    <ChartCard
      title={title}
      description="Grams in active packages at the end of each day."
      empty={
        history.data.history.length === 0 ? (
          <EmptyState title="No finished goods yet">Packages added on the finished goods page show up here.</EmptyState>
        ) : undefined
      }
      chart={<GramsChart rows={rows} />}
      table={
        <DataTable
          caption="Finished-goods grams per day"
          columns={[
            { key: "date", label: "Day" },
            { key: "grams", label: "Grams on hand", numeric: true },
          ]}
          rows={rows.map((r) => ({ key: r.date, cells: [shortDate(r.date), `${r.grams.toLocaleString("en-US")} g`] }))}
        />
      }
    />
  );
}

function PapersCard({ period, size }: { period: Period; size: SizeFilter }) {
  const series = useAnalyticsSeries(period);
  const title = "Papers and cones used";
  if (series.isPending) return <LoadingCard title={title} />;
  if (series.isError) return <ErrorState title="Could not load paper usage" error={series.error} onRetry={() => void series.refetch()} />;
  const shown: readonly Size[] = size === "all" ? sizes : [size];
  const rows = series.data.papers_used.map((d) => ({
    date: d.date,
    "0_5": shown.includes("0_5") ? d["0_5"] : 0,
    "0_7": shown.includes("0_7") ? d["0_7"] : 0,
    "1_0": shown.includes("1_0") ? d["1_0"] : 0,
    total: shown.reduce((sum, s) => sum + d[s], 0),
  }));
  return (
    <ChartCard
      title={title}
      description="Papers and cones consumed each day as counts rise, by size."
      className="lg:col-span-2"
      empty={
        rows.every((r) => r.total === 0) ? (
          <EmptyState title="No papers used in this period">Counting pre-rolls uses papers and cones; their use shows up here.</EmptyState>
        ) : undefined
      }
      chart={<PapersChart rows={rows} size={size} />}
      table={
        <DataTable
          caption="Papers and cones used per day"
          columns={[
            { key: "date", label: "Day" },
            ...shown.map((s) => ({ key: s, label: sizeLabel(s), numeric: true })),
            { key: "total", label: "Total", numeric: true },
          ]}
          rows={rows.map((r) => ({
            key: r.date,
            cells: [shortDate(r.date), ...shown.map((s) => formatCount(r[s])), formatCount(r.total)],
          }))}
        />
      }
    />
  );
}
