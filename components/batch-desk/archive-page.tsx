"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { ArrowDown, ArrowUp, ArrowUpDown, ArchiveRestore, Search } from "lucide-react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { useCan } from "@/lib/client/current-user";
import { useArchivedBatches, useSetBatchArchived } from "@/lib/client/batch-desk";
import { formatCount, formatDateTime, formatHours, sizeLabel } from "@/lib/client/format";
import { sizes } from "@/lib/domain/batches/constants";
import type { Batch } from "@/lib/domain/batches/batch-response";

/** Mean of the sizes that were weighed (a yield of 0 means "no weight checks"). */
function averageYield(b: Batch): number | null {
  const yields = sizes.map((s) => b[`running_yield_${s}`]).filter((y) => y > 0);
  return yields.length ? yields.reduce((a, y) => a + y, 0) / yields.length : null;
}

type Column = { key: string; label: string; value: (b: Batch) => number | string | null; numeric?: boolean };

const columns: Column[] = [
  { key: "strain", label: "Strain", value: (b) => b.strain.toLowerCase() },
  ...sizes.map((s) => ({ key: `counts_${s}`, label: sizeLabel(s), value: (b: Batch) => b[`counts_${s}`], numeric: true })),
  { key: "total", label: "Total", value: (b) => b.total_count, numeric: true },
  { key: "start", label: "Started", value: (b) => b.production_start_time },
  { key: "finish", label: "Finished", value: (b) => b.production_end_time },
  { key: "duration", label: "Duration", value: (b) => b.production_duration_hours ?? b.total_work_hours, numeric: true },
  { key: "thc", label: "THC %", value: (b) => b.thc_percent, numeric: true },
  { key: "yield", label: "Yield", value: averageYield, numeric: true },
  { key: "archived", label: "Archived", value: (b) => b.archived_at },
];

function compare(a: number | string | null, b: number | string | null): number {
  // Missing values sort last in both directions' natural reading.
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}

/** `/archive`: finished batches, searchable and sortable; operators bring one back to the board. */
export function ArchivePage() {
  const query = useArchivedBatches();
  const canUnarchive = useCan("operator");
  const unarchive = useSetBatchArchived();
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<{ key: string; dir: "asc" | "desc" }>({ key: "archived", dir: "desc" });

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const column = columns.find((c) => c.key === sort.key) ?? columns[0];
    return (query.data ?? [])
      .filter((b) => !needle || b.strain.toLowerCase().includes(needle))
      .sort((a, b) => {
        const va = column.value(a);
        const vb = column.value(b);
        if (va === null || vb === null) return compare(va, vb);
        return sort.dir === "asc" ? compare(va, vb) : compare(vb, va);
      });
  }, [query.data, search, sort]);

  const toggleSort = (key: string) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "strain" ? "asc" : "desc" }));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <h1 className="text-3xl font-bold">Archive</h1>
        <label className="ml-auto flex min-w-72 flex-col gap-1">
          <span className="text-sm font-semibold text-neutral-200">Search by strain</span>
          <span className="relative">
            <Search aria-hidden className="pointer-events-none absolute left-3 top-1/2 size-5 -translate-y-1/2 text-neutral-300" />
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className="min-h-12 w-full rounded-xl border border-neutral-600 bg-neutral-950 pl-10 pr-3 text-base focus:outline-3 focus:outline-sky-400"
            />
          </span>
        </label>
      </div>

      {query.isPending ? (
        <Loading label="Loading archived batches">
          <Skeleton className="h-96" />
        </Loading>
      ) : query.isError ? (
        <ErrorState title="Could not load the archive" error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data.length ? (
        <EmptyState title="No archived batches yet">
          Batches land here when they are archived from their edit page once they are done.
        </EmptyState>
      ) : !rows.length ? (
        <EmptyState title={`No archived batch matches “${search}”`}>
          Check the spelling, or clear the search to see all {query.data.length}.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-neutral-800">
          <table className="w-full text-left">
            <caption className="sr-only">
              Archived batches, sorted by {columns.find((c) => c.key === sort.key)?.label} (
              {sort.dir === "asc" ? "ascending" : "descending"})
            </caption>
            <thead className="bg-neutral-900">
              <tr>
                {columns.map((c) => {
                  const active = sort.key === c.key;
                  const Icon = !active ? ArrowUpDown : sort.dir === "asc" ? ArrowUp : ArrowDown;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                      className={c.numeric ? "text-right" : undefined}
                    >
                      <button
                        type="button"
                        onClick={() => toggleSort(c.key)}
                        className="inline-flex min-h-11 items-center gap-1 px-3 font-semibold hover:text-green-300"
                      >
                        {c.label}
                        <Icon aria-hidden className="size-4" />
                      </button>
                    </th>
                  );
                })}
                {canUnarchive ? (
                  <th scope="col" className="px-3">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => {
                const y = averageYield(b);
                return (
                  <tr key={b.id} className="border-t border-neutral-800 hover:bg-neutral-900/60">
                    <th scope="row" className="px-3 py-2 font-semibold">
                      <Link href={`/batches/${b.id}/edit`} prefetch={false} className="text-green-300 underline-offset-4 hover:underline">
                        {b.strain}
                      </Link>
                    </th>
                    {sizes.map((s) => (
                      <td key={s} className="px-3 py-2 text-right tabular-nums">
                        {formatCount(b[`counts_${s}`])}
                      </td>
                    ))}
                    <td className="px-3 py-2 text-right font-semibold tabular-nums">{formatCount(b.total_count)}</td>
                    <td className="px-3 py-2">{formatDateTime(b.production_start_time)}</td>
                    <td className="px-3 py-2">{formatDateTime(b.production_end_time)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatHours(b.production_duration_hours ?? b.total_work_hours)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{b.thc_percent === null ? "—" : `${b.thc_percent}%`}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{y === null ? "—" : `${y.toFixed(1)}%`}</td>
                    <td className="px-3 py-2">{formatDateTime(b.archived_at)}</td>
                    {canUnarchive ? (
                      <td className="px-3 py-2 text-right">
                        <Button
                          aria-label={`Unarchive ${b.strain}`}
                          busy={unarchive.isPending && unarchive.variables?.id === b.id}
                          onClick={() =>
                            unarchive.mutate(
                              { id: b.id, archive: false },
                              {
                                onSuccess: () => toast.success(`${b.strain} is back on the board`),
                                onError: (e) => toast.error(e.message),
                              },
                            )
                          }
                        >
                          <ArchiveRestore aria-hidden className="size-5" /> Unarchive
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {query.data?.length ? (
        <p className="text-sm text-neutral-300">
          {rows.length} of {query.data.length} archived batches.
        </p>
      ) : null}
    </div>
  );
}
