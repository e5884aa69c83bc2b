"use client";

import { useId, useState } from "react";
import { ArrowDown, ArrowUp } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { OptionSelect } from "@/components/ui/select-field";
import { EmptyState } from "@/components/ui/states";
import type { SnapshotResponse } from "@/lib/domain/recommendations/recommendation-response";
import { formatNumber, snapshotLabel, urgencyRank, urgencyTone } from "@/components/recommendations/format";

type Row = SnapshotResponse["data"]["combined"][number] | SnapshotResponse["data"]["stores"][number];
type SortKey = "urgency" | "strain" | "total_inventory" | "avg_sold_per_day" | "days_until_stockout" | "priority_score";
type Direction = "ascending" | "descending";

const COLUMNS: { key: SortKey; label: string; numeric?: boolean; first: Direction }[] = [
  { key: "strain", label: "Strain", first: "ascending" },
  { key: "urgency", label: "Urgency", first: "ascending" },
  { key: "days_until_stockout", label: "Days until stock-out", numeric: true, first: "ascending" },
  { key: "avg_sold_per_day", label: "Sold per day", numeric: true, first: "descending" },
  { key: "total_inventory", label: "Store inventory", numeric: true, first: "ascending" },
  { key: "priority_score", label: "Priority", numeric: true, first: "descending" },
];

/** Most urgent first; within an urgency the higher priority score (the server's ranking). */
function compare(a: Row, b: Row, key: SortKey): number {
  switch (key) {
    case "urgency":
      return urgencyRank[a.urgency] - urgencyRank[b.urgency] || b.priority_score - a.priority_score;
    case "strain":
      return a.strain.localeCompare(b.strain);
    case "days_until_stockout":
      // Strains that do not sell (null) last.
      return (a.days_until_stockout ?? Infinity) - (b.days_until_stockout ?? Infinity);
    default:
      return a[key] - b[key];
  }
}

/** The latest snapshot's recommendations, all stores or one, sortable (urgency first by default). */
export function RecommendationsTable({ snapshot }: { snapshot: SnapshotResponse }) {
  const titleId = useId();
  const [store, setStore] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: "urgency", direction: "ascending" });
  const stores = [...new Set(snapshot.data.stores.map((r) => r.store))].sort();
  const rows: Row[] = store === "" ? snapshot.data.combined : snapshot.data.stores.filter((r) => r.store === store);
  const sorted = [...rows].sort((a, b) => (sort.direction === "ascending" ? 1 : -1) * compare(a, b, sort.key));

  return (
    <Card aria-labelledby={titleId}>
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id={titleId} className="text-lg font-semibold text-neutral-50">
            Latest recommendations
          </h2>
          <p className="text-sm text-neutral-300">
            Snapshot of {snapshotLabel(snapshot.timestamp)} · {snapshot.strain_count} strains · {snapshot.store_count} stores ·{" "}
            {snapshot.files_processed.join(", ")}
          </p>
        </div>
        <OptionSelect
          label="Store"
          value={store}
          onChange={setStore}
          options={[["", "All stores"], ...stores.map((s) => [s, s] as const)]}
        />
      </div>
      {sorted.length === 0 ? (
        <EmptyState title="No strains in this view" />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Recommendations, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label}</caption>
            <thead>
              <tr className="border-b border-neutral-700">
                {COLUMNS.map((c) => {
                  const active = sort.key === c.key;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      aria-sort={active ? sort.direction : "none"}
                      className={c.numeric ? "text-right" : "text-left"}
                    >
                      <button
                        type="button"
                        onClick={() =>
                          setSort(
                            active
                              ? { key: c.key, direction: sort.direction === "ascending" ? "descending" : "ascending" }
                              : { key: c.key, direction: c.first },
                          )
                        }
                        className="inline-flex min-h-10 items-center gap-1 rounded-lg px-2 font-semibold text-neutral-200 hover:bg-neutral-800 focus-visible:outline-3 focus-visible:outline-sky-400"
                      >
                        {c.label}
                        {active ? (
                          sort.direction === "ascending" ? (
                            <ArrowUp aria-hidden className="size-4" />
                          ) : (
                            <ArrowDown aria-hidden className="size-4" />
                          )
                        ) : null}
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <tr key={`${"store" in r ? r.store : ""}:${r.strain}`} className="border-b border-neutral-800">
                  <th scope="row" className="px-2 py-2 text-left font-medium text-neutral-100">
                    {r.strain}
                  </th>
                  <td className="px-2 py-2">
                    <Badge tone={urgencyTone[r.urgency]}>{r.urgency}</Badge>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(r.days_until_stockout)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(r.avg_sold_per_day, 2)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(r.total_inventory, 0)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(r.priority_score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
