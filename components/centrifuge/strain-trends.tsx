"use client";

import { useId, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { useActiveBatches } from "@/lib/client/batches";
import { useCan } from "@/lib/client/current-user";
import { formatDateTime, sizeLabel } from "@/lib/client/format";
import {
  useApplyToBatch,
  useStrainHistory,
  useStrainTrends,
  useUnifiedRecommendations,
  type TrendFilters,
  type UnifiedFilters,
} from "@/lib/client/centrifuge-desk";
import { grindSizes, sizes, type Size } from "@/lib/domain/batches/constants";
import type { SizeRecommendation } from "@/lib/domain/centrifuge/centrifuge-response";
import type { TrendsResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";
import { strainKey } from "@/lib/domain/strains/strain-key";
import {
  chartAxis,
  chartTooltip,
  ChartOrTable,
  DataTable,
  formatNumber,
  formatPercent,
  formatRpm,
  SelectField,
  SERIES_COLOURS,
} from "@/components/centrifuge/shared";

const trendWords: Record<TrendsResponse["trend_analysis"]["rpm_trend"], string> = {
  increasing: "Rising",
  decreasing: "Falling",
  stable: "Stable",
  insufficient_data: "Not enough runs",
};

const confidenceTone = { high: "green", medium: "orange", low: "red" } as const;

const startedOn = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric" });

/**
 * One strain's centrifuge learning: the runs over time (chart + table), the rpm trend, the
 * recommendation per size (applicable to an active batch of the strain), and the setting changes.
 */
export function StrainTrends({ strain }: { strain: string }) {
  const [filters, setFilters] = useState<TrendFilters>({ grind_size: null, size: null });
  const trends = useStrainTrends(strain, filters);
  const filterId = useId();

  return (
    <div className="space-y-4">
      <Card aria-labelledby={`${filterId}-trend`}>
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <h2 id={`${filterId}-trend`} className="text-sm font-bold uppercase tracking-wide text-neutral-300">
            Runs and trend
          </h2>
          <div className="flex flex-wrap gap-3">
            <SelectField
              label="Size"
              className="w-40"
              value={filters.size ?? ""}
              onChange={(e) => setFilters((f) => ({ ...f, size: (e.target.value || null) as Size | null }))}
            >
              <option value="">All sizes</option>
              {sizes.map((s) => (
                <option key={s} value={s}>
                  {sizeLabel(s)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Grind"
              className="w-40"
              value={filters.grind_size ?? ""}
              onChange={(e) => setFilters((f) => ({ ...f, grind_size: e.target.value || null }))}
            >
              <option value="">Any grind</option>
              {grindSizes.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </SelectField>
          </div>
        </div>
        {trends.isError ? (
          <ErrorState title="Could not load the trends" error={trends.error} onRetry={() => void trends.refetch()} />
        ) : !trends.data ? (
          <Loading label="Loading the trends">
            <Skeleton className="h-[380px]" />
          </Loading>
        ) : !trends.data.has_data ? (
          <EmptyState title={`No centrifuge runs recorded for ${strain}${filters.size || filters.grind_size ? " with these filters" : ""}`}>
            Runs are recorded on a batch&apos;s floor page (Centrifuge → Record outcome). After a few runs, the trend and a recommendation
            appear here.
          </EmptyState>
        ) : (
          <TrendBody data={trends.data} />
        )}
      </Card>
      <Recommendations strain={strain} />
      <SettingHistory strain={strain} />
    </div>
  );
}

function TrendBody({ data }: { data: TrendsResponse }) {
  const a = data.trend_analysis;
  const rec = data.recommendation;
  const points = data.timeline.map((t, i) => ({ run: i + 1, ...t }));
  return (
    <div className="space-y-4">
      <div role="group" aria-label="Trend summary">
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          <Stat label="RPM trend" value={trendWords[a.rpm_trend]} />
          <Stat label="Best-result RPM" value={a.optimal_rpm === null ? "—" : formatNumber(a.optimal_rpm)} />
          <Stat label="Average RPM" value={a.average_rpm === null ? "—" : formatNumber(a.average_rpm)} />
          <Stat label="Runs" value={formatNumber(a.sample_size)} />
          <Stat
            label="Recommended"
            value={rec ? formatRpm(rec.rpm) : "—"}
            hint={
              rec
                ? `${rec.time_seconds} s · ${rec.cycles} cycle${rec.cycles === 1 ? "" : "s"} · gauge ${formatNumber(rec.fill_gauge_cycle1, 1)} · ${rec.confidence_level} confidence`
                : undefined
            }
          />
        </dl>
      </div>
      <ChartOrTable
        title="RPM and yield per run"
        chart={
          <div className="h-[340px]" role="img" aria-label="Line chart of rpm and yield per recorded run; use Show as table for the values">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={points} margin={{ top: 8, right: 16, bottom: 24, left: 16 }}>
                <CartesianGrid stroke="#404040" strokeDasharray="3 3" />
                <XAxis
                  dataKey="run"
                  {...chartAxis}
                  allowDecimals={false}
                  label={{ value: "Run", position: "insideBottom", offset: -12, fill: "#d4d4d4" }}
                />
                <YAxis yAxisId="rpm" {...chartAxis} width={64} domain={["auto", "auto"]} />
                <YAxis yAxisId="yield" orientation="right" {...chartAxis} width={56} domain={[0, 100]} unit=" %" />
                <Tooltip {...chartTooltip} labelFormatter={(run) => `Run ${String(run)}`} />
                <Legend wrapperStyle={{ color: "#e5e5e5", paddingTop: 12 }} />
                <Line yAxisId="rpm" dataKey="rpm" name="RPM" stroke={SERIES_COLOURS[0]} strokeWidth={2} isAnimationActive={false} />
                <Line
                  yAxisId="yield"
                  dataKey="yield_percent"
                  name="Yield %"
                  stroke={SERIES_COLOURS[1]}
                  strokeWidth={2}
                  connectNulls
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
        }
        table={
          <DataTable
            caption="Recorded centrifuge runs"
            columns={[
              "Run",
              "Batch",
              "Size",
              "RPM",
              "Time (s)",
              "Cycles",
              "Fill gauge",
              "Yield",
              "Weight checks passed",
              "Grind",
              "Recorded",
            ]}
            rows={points.map((p) => [
              p.run,
              p.batch_number,
              sizeLabel(p.size),
              formatNumber(p.rpm),
              p.time_seconds,
              p.cycles,
              p.fill_gauge_cycle2 === null
                ? formatNumber(p.fill_gauge, 1)
                : `${formatNumber(p.fill_gauge, 1)} / ${formatNumber(p.fill_gauge_cycle2, 1)}`,
              formatPercent(p.yield_percent),
              formatPercent(p.weight_check_pass_rate),
              p.grind_size ?? "—",
              formatDateTime(p.recorded_at),
            ])}
          />
        }
      />
    </div>
  );
}

/** The learned settings per size, and (operators) putting them on an active batch of the strain. */
function Recommendations({ strain }: { strain: string }) {
  const [filters, setFilters] = useState<UnifiedFilters>({ grind_size: null, priority_mode: "weight" });
  const unified = useUnifiedRecommendations(strain, filters);
  const canApply = useCan("operator");
  const headingId = useId();

  return (
    <Card aria-labelledby={headingId}>
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id={headingId} className="text-sm font-bold uppercase tracking-wide text-neutral-300">
          Recommendations per size
        </h2>
        <div className="flex flex-wrap gap-3">
          <SelectField
            label="Optimise for"
            className="w-48"
            value={filters.priority_mode}
            onChange={(e) => setFilters((f) => ({ ...f, priority_mode: e.target.value as UnifiedFilters["priority_mode"] }))}
          >
            <option value="weight">Target weight</option>
            <option value="count">Count (yield)</option>
          </SelectField>
          <SelectField
            label="Grind for recommendations"
            className="w-56"
            value={filters.grind_size ?? ""}
            onChange={(e) => setFilters((f) => ({ ...f, grind_size: e.target.value || null }))}
          >
            <option value="">Any grind</option>
            {grindSizes.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </SelectField>
        </div>
      </div>
      {unified.isError ? (
        <ErrorState title="Could not load the recommendations" error={unified.error} onRetry={() => void unified.refetch()} />
      ) : !unified.data ? (
        <Loading label="Loading the recommendations">
          <Skeleton className="h-48" />
        </Loading>
      ) : !unified.data.has_data ? (
        <EmptyState title="No recommendations yet">
          Recommendations are learned from recorded runs of {strain}; record outcomes on its batches first.
        </EmptyState>
      ) : (
        <>
          {canApply ? <ApplyTarget strain={strain} recommendations={unified.data.recommendations} /> : null}
          {!canApply ? <RecommendationCards recommendations={unified.data.recommendations} /> : null}
        </>
      )}
    </Card>
  );
}

function RecommendationCards({
  recommendations,
  action,
}: {
  recommendations: Record<Size, SizeRecommendation>;
  action?: (rec: SizeRecommendation & { has_data: true }) => React.ReactNode;
}) {
  return (
    <ul className="grid gap-3 lg:grid-cols-3">
      {sizes.map((size) => {
        const rec = recommendations[size];
        return (
          <li
            key={size}
            className="rounded-xl border border-neutral-800 bg-neutral-950/40 p-3"
            aria-label={`${sizeLabel(size)} recommendation`}
          >
            <div className="mb-2 flex items-center justify-between gap-2">
              <h3 className="text-lg font-semibold text-neutral-50">{sizeLabel(size)}</h3>
              {rec.has_data ? (
                <Badge tone={confidenceTone[rec.confidence_level]}>
                  {rec.confidence_level} confidence · {rec.sample_size} run{rec.sample_size === 1 ? "" : "s"}
                </Badge>
              ) : null}
            </div>
            {rec.has_data ? (
              <>
                <dl className="grid grid-cols-2 gap-2">
                  <Stat label="RPM" value={formatNumber(rec.rpm)} />
                  <Stat label="Time" value={`${rec.time_seconds} s`} />
                  <Stat label="Cycles" value={rec.cycles} />
                  <Stat
                    label="Fill gauge"
                    value={
                      rec.cycles >= 2 && rec.fill_gauge_cycle2 !== null
                        ? `${formatNumber(rec.fill_gauge_cycle1, 1)} / ${formatNumber(rec.fill_gauge_cycle2, 1)}`
                        : formatNumber(rec.fill_gauge_cycle1, 1)
                    }
                  />
                </dl>
                <p className="mt-2 text-sm text-neutral-300">
                  {rec.source === "learned" ? "Learned" : "Worked out now"}
                  {rec.match === "any_grind" ? " · from every grind (none of this grind yet)" : ""}
                </p>
                {action ? <div className="mt-3">{action(rec)}</div> : null}
              </>
            ) : (
              <p className="text-neutral-300">No runs of this size yet.</p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Operators: choose an active batch of the strain, then apply a size's recommendation to it. */
function ApplyTarget({ strain, recommendations }: { strain: string; recommendations: Record<Size, SizeRecommendation> }) {
  const batches = useActiveBatches();
  const apply = useApplyToBatch();
  const ofStrain = (batches.data ?? []).filter((b) => strainKey(b.strain) === strainKey(strain));
  const [chosen, setChosen] = useState<string>("");
  const batchId = ofStrain.some((b) => b.id === chosen) ? chosen : (ofStrain[0]?.id ?? "");
  const batch = ofStrain.find((b) => b.id === batchId);

  function applySize(rec: SizeRecommendation & { has_data: true }) {
    if (!batch) return;
    apply.mutate(
      {
        batchId: batch.id,
        size: rec.size,
        centrifuge_rpm: rec.rpm,
        centrifuge_time_seconds: rec.time_seconds,
        centrifuge_cycles: rec.cycles,
        centrifuge_fill_gauge_cycle1: rec.fill_gauge_cycle1,
        centrifuge_fill_gauge_cycle2: rec.cycles >= 2 ? rec.fill_gauge_cycle2 : null,
      },
      {
        onSuccess: (res) =>
          toast.success(
            res.changed_fields.length > 0
              ? `${sizeLabel(rec.size)} settings applied to ${batch.strain} (${batch.stage_name})`
              : `${batch.strain} (${batch.stage_name}) already had these ${sizeLabel(rec.size)} settings`,
          ),
        onError: (error) => toast.error(error.message),
      },
    );
  }

  return (
    <>
      <div className="mb-3">
        {batches.isError ? (
          <ErrorState title="Could not load the active batches" error={batches.error} onRetry={() => void batches.refetch()} />
        ) : !batches.data ? (
          <Skeleton className="h-20" />
        ) : ofStrain.length === 0 ? (
          <p className="text-neutral-300">No active batch of {strain} to apply settings to; start one from the board.</p>
        ) : (
          <SelectField
            label="Apply to batch"
            className="max-w-2xl"
            hint="Puts the size's recommended settings on the batch; operators see them on its floor page."
            value={batchId}
            onChange={(e) => setChosen(e.target.value)}
          >
            {ofStrain.map((b) => (
              <option key={b.id} value={b.id}>
                {b.strain} — {b.stage_name}
                {b.production_start_time ? `, started ${startedOn(b.production_start_time)}` : ""} (#{b.id.slice(-6)})
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <RecommendationCards
        recommendations={recommendations}
        action={
          batch
            ? (rec) => (
                <Button
                  variant="primary"
                  busy={apply.isPending && apply.variables?.size === rec.size}
                  disabled={apply.isPending}
                  onClick={() => applySize(rec)}
                >
                  Apply {sizeLabel(rec.size)} to batch
                </Button>
              )
            : undefined
        }
      />
    </>
  );
}

/** Setting changes on the strain's batches, from the audit trail (newest first). */
function SettingHistory({ strain }: { strain: string }) {
  const history = useStrainHistory(strain);
  const headingId = useId();
  const rows = history.data?.history ?? [];
  return (
    <Card aria-labelledby={headingId}>
      <CardTitle>
        <span id={headingId}>Setting changes</span>
      </CardTitle>
      {history.isError ? (
        <ErrorState title="Could not load the setting changes" error={history.error} onRetry={() => void history.refetch()} />
      ) : !history.data ? (
        <Loading label="Loading the setting changes">
          <Skeleton className="h-32" />
        </Loading>
      ) : rows.length === 0 ? (
        <EmptyState title="No setting changes yet">Changes to a batch&apos;s centrifuge settings for {strain} are listed here.</EmptyState>
      ) : (
        <>
          <DataTable
            caption={`Centrifuge setting changes for ${strain}`}
            columns={["When", "Batch", "Size", "Setting", "Before", "After", "By"]}
            rows={rows
              .slice(0, 200)
              .map((h) => [
                formatDateTime(h.timestamp),
                h.batch_id.slice(-6),
                h.size ? sizeLabel(h.size as Size) : "All",
                h.setting.replace(/^centrifuge_/, "").replaceAll("_", " "),
                h.old_value ?? "—",
                h.new_value ?? "—",
                h.actor,
              ])}
          />
          {history.data.total_changes > 200 ? (
            <p className="mt-2 text-sm text-neutral-300">The newest 200 of {formatNumber(history.data.total_changes)} changes.</p>
          ) : null}
        </>
      )}
    </Card>
  );
}
