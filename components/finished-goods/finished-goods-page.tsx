"use client";

import { useDeferredValue, useId, useState } from "react";
import { useCan } from "@/lib/client/current-user";
import { useFinishedGoods } from "@/lib/client/finished-goods";
import { finishedGoodStatuses } from "@/lib/domain/finished-goods/constants";
import { NewPackageDialog } from "@/components/finished-goods/new-package-dialog";
import { PackageCard } from "@/components/finished-goods/package-card";
import { formatGrams, formatUnits } from "@/components/finished-goods/fg-format";
import { Stat } from "@/components/ui/stat";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";

/** `/finished-goods`: the inventory summary and a card per METRC package, with search and filters. */
export function FinishedGoodsPage() {
  const canEdit = useCan("operator");
  const searchId = useId();
  const statusId = useId();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [includeArchived, setIncludeArchived] = useState(false);
  // The list follows the search box without a request per keystroke blocking the input.
  const deferredSearch = useDeferredValue(search);
  const list = useFinishedGoods({ search: deferredSearch, status, includeArchived });
  const summary = list.data?.summary;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Finished goods</h1>
          <p className="text-neutral-300">METRC packages from production to fulfilment.</p>
        </div>
        {canEdit ? <NewPackageDialog /> : null}
      </div>

      {summary ? (
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-5" aria-label="Inventory summary">
          <Stat label="Active packages" value={formatUnits(summary.active_packages)} />
          <Stat label="Grams available" value={formatGrams(summary.total_grams)} hint="in active packages" />
          <Stat label="Strains" value={formatUnits(summary.total_strains)} />
          <Stat label="Depleted" value={formatUnits(summary.depleted_packages)} />
          <Stat label="Orphaned" value={formatUnits(summary.orphaned_packages)} hint="on paper, not on the shelf" />
        </dl>
      ) : (
        <Skeleton className="h-24" />
      )}

      <div className="flex flex-wrap items-end gap-3" role="search">
        <div className="flex min-w-72 flex-1 flex-col gap-1">
          <label htmlFor={searchId} className="text-sm font-semibold text-neutral-200">
            Search by METRC or strain
          </label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="e.g. 15129 or Blue Dream"
            className="min-h-12 rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-lg text-neutral-50 placeholder:text-neutral-400"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={statusId} className="text-sm font-semibold text-neutral-200">
            Status
          </label>
          <select
            id={statusId}
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            className="min-h-12 rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-lg text-neutral-50"
          >
            <option value="">All in stock</option>
            {finishedGoodStatuses.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0).toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <label className="flex min-h-12 cursor-pointer items-center gap-2 rounded-xl border border-neutral-700 px-3 font-semibold">
          <input type="checkbox" className="size-5" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          Show archived / orphaned
        </label>
      </div>

      {list.isPending ? (
        <Loading label="Loading packages">
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} className="h-[30rem]" />
            ))}
          </div>
        </Loading>
      ) : list.isError ? (
        <ErrorState title="Could not load finished goods" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.packages.length === 0 ? (
        <EmptyState title={search || status || includeArchived ? "No package matches" : "No packages yet"}>
          {search || status || includeArchived
            ? "Clear the search or pick another status."
            : canEdit
              ? "Add the first METRC package with New package."
              : "Packages appear here once a manager adds them."}
        </EmptyState>
      ) : (
        <>
          <p className="text-sm text-neutral-300" aria-live="polite">
            {list.data.total === 1 ? "1 package" : `${formatUnits(list.data.total)} packages`}
          </p>
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {list.data.packages.map((pkg) => (
              <PackageCard key={pkg.metrc_number} pkg={pkg} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
