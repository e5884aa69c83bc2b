"use client";

import { useId, useState } from "react";
import { Download } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { OptionSelect } from "@/components/ui/select-field";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";
import { formatDateTime } from "@/lib/client/format";
import { useExportSnapshot, useSnapshot, useSnapshotComparison, useSnapshotInsights } from "@/lib/client/recommendations";
import type { CompareResponse, InsightsResponse, SnapshotSummary } from "@/lib/domain/recommendations/recommendation-response";
import { formatDelta, formatNumber, snapshotLabel, urgencyTone } from "@/components/recommendations/format";

/** Snapshot history with CSV export of each. */
export function SnapshotList({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const titleId = useId();
  const exporter = useExportSnapshot();
  const exportOne = (timestamp: string) =>
    exporter.mutate(timestamp, {
      onSuccess: (res) => toast.success(`Downloaded ${res.filename}`),
      onError: (error) => toast.error(error.message),
    });
  return (
    <Card aria-labelledby={titleId}>
      <h2 id={titleId} className="mb-3 text-lg font-semibold text-neutral-50">
        Snapshots
      </h2>
      <div className="max-h-96 overflow-auto" tabIndex={0} role="region" aria-label="Snapshot list">
        <table className="w-full text-sm">
          <caption className="sr-only">Snapshots, newest first</caption>
          <thead>
            <tr className="border-b border-neutral-700 text-left text-neutral-200">
              <th scope="col" className="px-2 py-2">
                Snapshot
              </th>
              <th scope="col" className="px-2 py-2">
                Files
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                Strains
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                Stores
              </th>
              <th scope="col" className="px-2 py-2">
                Uploaded by
              </th>
              <th scope="col" className="px-2 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {snapshots.map((s) => (
              <tr key={s.timestamp} className="border-b border-neutral-800">
                <th scope="row" className="px-2 py-2 text-left font-medium text-neutral-100">
                  {snapshotLabel(s.timestamp)}
                </th>
                <td className="px-2 py-2 text-neutral-200">{s.files_processed.join(", ")}</td>
                <td className="px-2 py-2 text-right tabular-nums">{s.strain_count}</td>
                <td className="px-2 py-2 text-right tabular-nums">{s.store_count}</td>
                <td className="px-2 py-2 text-neutral-200" title={formatDateTime(s.created_at)}>
                  {s.uploaded_by ?? "—"}
                </td>
                <td className="px-2 py-2 text-right">
                  <Button
                    onClick={() => exportOne(s.timestamp)}
                    busy={exporter.isPending && exporter.variables === s.timestamp}
                    aria-label={`Export CSV of snapshot ${snapshotLabel(s.timestamp)}`}
                    className="min-h-10 text-sm"
                  >
                    <Download aria-hidden className="size-4" /> Export CSV
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** Two snapshots side by side (earlier → later), all stores or one, with the insights drawn from them. */
export function SnapshotCompare({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const titleId = useId();
  // Newest first: compare the previous snapshot with the latest by default.
  const [earlier, setEarlier] = useState(snapshots[1]?.timestamp ?? "");
  const [later, setLater] = useState(snapshots[0]?.timestamp ?? "");
  const [store, setStore] = useState("");
  const a = useSnapshot(earlier || null);
  const b = useSnapshot(later || null);
  const stores = [...new Set([...(a.data?.data.stores ?? []), ...(b.data?.data.stores ?? [])].map((r) => r.store))].sort();
  const storeFilter = stores.includes(store) ? store : "";
  const same = earlier !== "" && earlier === later;
  const comparison = useSnapshotComparison(earlier || null, later || null, storeFilter);
  const insights = useSnapshotInsights(earlier || null, later || null);

  const pick = (label: string, value: string, onChange: (v: string) => void) => (
    <OptionSelect
      label={label}
      value={value}
      onChange={onChange}
      options={snapshots.map((s) => [s.timestamp, `${snapshotLabel(s.timestamp)} (${s.files_processed.join(", ")})`] as const)}
    />
  );

  return (
    <Card aria-labelledby={titleId}>
      <h2 id={titleId} className="mb-3 text-lg font-semibold text-neutral-50">
        Compare snapshots
      </h2>
      <div className="mb-4 grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(10rem,auto)]">
        {pick("Earlier snapshot", earlier, setEarlier)}
        {pick("Later snapshot", later, setLater)}
        <OptionSelect
          label="Store filter"
          value={storeFilter}
          onChange={setStore}
          options={[["", "All stores"], ...stores.map((s) => [s, s] as const)]}
        />
      </div>
      {same ? (
        <EmptyState title="Pick two different snapshots">Choose an earlier and a later snapshot to see what changed.</EmptyState>
      ) : (
        <div className="grid gap-4 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <div>
            {comparison.isPending ? (
              <Loading label="Comparing snapshots">
                <Skeleton className="h-64" />
              </Loading>
            ) : comparison.isError ? (
              <ErrorState title="Could not compare" error={comparison.error} onRetry={() => void comparison.refetch()} />
            ) : (
              <ComparisonTable data={comparison.data} />
            )}
          </div>
          <div>
            <h3 className="mb-2 font-semibold text-neutral-100">Insights (all stores)</h3>
            {insights.isPending ? (
              <Loading label="Loading insights">
                <Skeleton className="h-40" />
              </Loading>
            ) : insights.isError ? (
              <ErrorState title="Could not load insights" error={insights.error} onRetry={() => void insights.refetch()} />
            ) : (
              <InsightList insights={insights.data.insights} />
            )}
          </div>
        </div>
      )}
    </Card>
  );
}

const statusTone = { new: "blue", removed: "purple", changed: "orange", unchanged: "neutral" } as const;

function ComparisonTable({ data }: { data: CompareResponse }) {
  const [changedOnly, setChangedOnly] = useState(false);
  const rows = changedOnly ? data.comparisons.filter((c) => c.status !== "unchanged") : data.comparisons;
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2" aria-label="Summary">
        {(["changed", "new", "removed", "unchanged"] as const).map((s) => (
          <Badge key={s} tone={statusTone[s]}>
            {data.summary[s] ?? 0} {s}
          </Badge>
        ))}
        <label className="ml-auto flex min-h-10 items-center gap-2 text-sm text-neutral-200">
          <input type="checkbox" checked={changedOnly} onChange={(e) => setChangedOnly(e.target.checked)} className="size-5" />
          Hide unchanged
        </label>
      </div>
      <div className="max-h-[28rem] overflow-auto" tabIndex={0} role="region" aria-label="Comparison">
        <table className="w-full text-sm">
          <caption className="sr-only">
            {data.store_filter ? `Store ${data.store_filter}` : "All stores"}: {snapshotLabel(data.timestamp1)} compared with{" "}
            {snapshotLabel(data.timestamp2)}
          </caption>
          <thead>
            <tr className="border-b border-neutral-700 text-neutral-200">
              <th scope="col" className="px-2 py-2 text-left">
                Strain
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Status
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                Inventory before
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                Inventory after
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                Change
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                Sold per day
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Urgency
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.strain} className="border-b border-neutral-800">
                <th scope="row" className="px-2 py-2 text-left font-medium text-neutral-100">
                  {c.strain}
                </th>
                <td className="px-2 py-2">
                  <Badge tone={statusTone[c.status]}>{c.status}</Badge>
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{formatNumber(c.old?.total_inventory, 0)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{formatNumber(c.new?.total_inventory, 0)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{formatDelta(c.changes.inventory_delta)}</td>
                <td className="px-2 py-2 text-right tabular-nums">
                  {formatNumber(c.old?.avg_sold_per_day, 2)} → {formatNumber(c.new?.avg_sold_per_day, 2)}
                </td>
                <td className="px-2 py-2">
                  {c.changes.urgency_from ?? "—"} →{" "}
                  {c.changes.urgency_to ? <Badge tone={urgencyTone[c.changes.urgency_to]}>{c.changes.urgency_to}</Badge> : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const insightTone = {
  danger: "border-red-800 bg-red-950/60 text-red-100",
  warning: "border-orange-800 bg-orange-950/60 text-orange-100",
  info: "border-blue-800 bg-blue-950/60 text-blue-100",
  success: "border-green-800 bg-green-950/60 text-green-100",
} as const;

function InsightList({ insights }: { insights: InsightsResponse["insights"] }) {
  if (insights.length === 0) return <p className="text-neutral-300">Nothing notable changed.</p>;
  return (
    <ul className="space-y-2" aria-label="Insights">
      {insights.map((i, n) => (
        <li key={`${i.title}:${n}`} className={`rounded-xl border p-3 ${insightTone[i.type]}`}>
          <p className="font-semibold">{i.title}</p>
          <p className="text-sm">{i.message}</p>
        </li>
      ))}
    </ul>
  );
}
