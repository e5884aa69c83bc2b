"use client";

import Link from "next/link";
import { useState } from "react";
import { Tabs } from "radix-ui";
import { ArrowLeft, Pencil } from "lucide-react";
import { useBatchCounts, useBatchSelect, useBatchShape, type BatchPageData } from "@/lib/client/batches";
import { useCan } from "@/lib/client/current-user";
import { formatCount, sizeLabel } from "@/lib/client/format";
import { sizes, STAGE, type Size } from "@/lib/domain/batches/constants";
import { ApiRequestError } from "@/lib/client/api";
import { StageBadge } from "@/components/ui/stage-badge";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { cx } from "@/components/ui/cx";
import { CountPanel } from "@/components/batch/count-panel";
import { CentrifugePanel } from "@/components/batch/centrifuge-panel";
import { PlanPanel } from "@/components/batch/plan-panel";
import { StageControls } from "@/components/batch/stage-controls";
import { BaggingPanel } from "@/components/batch/bagging-panel";
import { BatchDetails } from "@/components/batch/batch-details";
import { WeightLog } from "@/components/batch/weight-log";

/** The size an operator most likely rolls: the largest plan, else the largest count, else 0.5 g. */
function defaultSize({ batch: b }: BatchPageData): Size {
  const planned = [...sizes].sort((x, y) => b[`planned_${y}`] - b[`planned_${x}`]);
  if (b[`planned_${planned[0]}`] > 0) return planned[0];
  const counted = [...sizes].sort((x, y) => b[`counts_${y}`] - b[`counts_${x}`]);
  return b[`counts_${counted[0]}`] > 0 ? counted[0] : "0_5";
}

/** A size tab's "count / plan": subscribed to the counts alone. */
function SizeTabFigures({ id, size }: { id: string; size: Size }) {
  const { data } = useBatchCounts(id);
  if (!data) return null;
  return (
    <span className="text-base font-normal tabular-nums text-neutral-200">
      {formatCount(data.counts[size])} / {formatCount(data.planned[size])}
    </span>
  );
}

const BackLink = () => (
  <Link href="/" className="inline-flex min-h-12 items-center gap-2 rounded-xl px-2 font-semibold text-neutral-200 hover:bg-neutral-800">
    <ArrowLeft aria-hidden className="size-5" />
    Board
  </Link>
);

/** `/batches/{id}`: the floor's batch page (the old "Plan" page, UI-GUIDE §2). */
export function BatchFloorPage({ id }: { id: string }) {
  const query = useBatchShape(id);
  const suggestedSize = useBatchSelect(id, defaultSize).data ?? "0_5";
  const canEdit = useCan("operator");
  const [chosen, setChosen] = useState<Size | null>(null);

  if (query.isPending) {
    return (
      <div className="space-y-4">
        <BackLink />
        <h1 className="text-3xl font-bold">Batch</h1>
        <Loading label="Loading the batch">
          <Skeleton className="h-20" />
          <Skeleton className="mt-4 h-80" />
        </Loading>
      </div>
    );
  }
  if (query.isError) {
    const missing = query.error instanceof ApiRequestError && query.error.status === 404;
    return (
      <div className="space-y-4">
        <BackLink />
        <h1 className="text-3xl font-bold">{missing ? "Batch not found" : "Batch"}</h1>
        {missing ? (
          <EmptyState title="This batch does not exist">
            It may have been archived or deleted. Go back to the board to pick another.
          </EmptyState>
        ) : (
          <ErrorState title="Could not load the batch" error={query.error} onRetry={() => void query.refetch()} />
        )}
      </div>
    );
  }

  const batch = query.data;
  const size = chosen ?? suggestedSize;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <BackLink />
        <h1 className="text-3xl font-bold">{batch.strain}</h1>
        <StageBadge stage={batch.stage} />
        {canEdit ? (
          <div className="ml-auto flex flex-wrap items-center gap-2">
            {/* The desk form; not prefetched (its code stays off floor tablets until used). */}
            <Link
              href={`/batches/${batch.id}/edit`}
              prefetch={false}
              className="inline-flex min-h-12 items-center gap-2 rounded-xl px-3 font-semibold text-neutral-100 hover:bg-neutral-800"
            >
              <Pencil aria-hidden className="size-5" /> Edit
            </Link>
            <StageControls batch={batch} />
          </div>
        ) : null}
      </div>

      <Tabs.Root value={size} onValueChange={(v) => setChosen(v as Size)}>
        <Tabs.List aria-label="Size" className="grid grid-cols-3 gap-2 rounded-2xl border border-neutral-800 bg-neutral-900 p-2">
          {sizes.map((s) => (
            <Tabs.Trigger
              key={s}
              value={s}
              className={cx(
                "flex min-h-16 flex-col items-center justify-center rounded-xl px-2 text-lg font-semibold",
                "data-[state=active]:bg-neutral-700 data-[state=active]:ring-2 data-[state=active]:ring-green-400 data-[state=inactive]:hover:bg-neutral-800",
              )}
            >
              <span>{sizeLabel(s)}</span>
              <SizeTabFigures id={batch.id} size={s} />
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {sizes.map((s) => (
          <Tabs.Content key={s} value={s} className="mt-4 space-y-4 focus:outline-none">
            <Card>
              <CountPanel batchId={batch.id} strain={batch.strain} size={s} canEdit={canEdit} />
            </Card>
            {batch.stage === STAGE.BAGGING ? <BaggingPanel batch={batch} canEdit={canEdit} /> : null}
            <div className="grid gap-4 lg:grid-cols-2">
              <CentrifugePanel batch={batch} size={s} canEdit={canEdit} />
              <WeightLog batchId={batch.id} size={s} />
            </div>
          </Tabs.Content>
        ))}
      </Tabs.Root>

      <div className="grid gap-4 lg:grid-cols-2">
        <PlanPanel batch={batch} canEdit={canEdit} />
        <BatchDetails batch={batch} />
      </div>
    </div>
  );
}
