"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { Plus } from "lucide-react";
import { useActiveBatches, useReorderBatches } from "@/lib/client/batches";
import { useCan } from "@/lib/client/current-user";
import { stageNames } from "@/lib/domain/batches/constants";
import type { Batch } from "@/lib/domain/batches/batch-response";
import { StageBadge } from "@/components/ui/stage-badge";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { PapersBanner, TestingBanner } from "@/components/board/board-banners";
import { BatchCard } from "@/components/board/batch-card";
import { byPriority, dropOn, moveWithinColumn } from "@/components/board/board-order";

/** Re-renders every minute so "days in stage" and the testing banner age without a refetch. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** The stage board `/`: active batches by stage 0–7 in priority order (UI-GUIDE §2). */
export function StageBoard() {
  const batches = useActiveBatches();
  const canReorder = useCan("operator");
  const reorder = useReorderBatches();
  const [dragging, setDragging] = useState<string | null>(null);
  const now = useMinuteClock();

  const header = (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <h1 className="text-2xl font-bold">Production board</h1>
      {batches.data ? <p className="text-neutral-300">{batches.data.length} active batches</p> : null}
      {canReorder ? (
        // The desk form; not prefetched, so its code stays off the floor tablets until used.
        <Link
          href="/batches/new"
          prefetch={false}
          className="ml-auto inline-flex min-h-12 items-center gap-2 rounded-xl bg-green-700 px-4 font-semibold text-white hover:bg-green-800"
        >
          <Plus aria-hidden className="size-5" /> New batch
        </Link>
      ) : null}
    </div>
  );

  if (batches.isPending) {
    return (
      <div className="space-y-4">
        {header}
        <Loading label="Loading batches">
          <div className="grid gap-3 md:grid-cols-2 lg:grid-cols-4">
            {stageNames.map((name) => (
              <Skeleton key={name} className="h-64" />
            ))}
          </div>
        </Loading>
      </div>
    );
  }
  if (batches.isError) {
    return (
      <div className="space-y-4">
        {header}
        <ErrorState title="Could not load the batches" error={batches.error} onRetry={() => void batches.refetch()} />
      </div>
    );
  }

  const all = batches.data;
  const send = (ids: string[] | null) => {
    if (ids) reorder.mutate(ids);
  };
  return (
    <div className="space-y-4">
      {header}
      <PapersBanner />
      <TestingBanner batches={all} now={now} />
      {all.length === 0 ? (
        <EmptyState title="No active batches">
          {canReorder ? "Start one with “New batch”; it" : "An operator or a manager adds batches; each"} appears here as soon as it is
          created.
        </EmptyState>
      ) : (
        <div className="grid gap-3 md:grid-cols-2 lg:grid-cols-4">
          {stageNames.map((name, stage) => {
            const column = all.filter((b) => b.stage === stage).sort(byPriority);
            return (
              <section
                key={name}
                aria-labelledby={`stage-heading-${stage}`}
                data-testid={`stage-column-${stage}`}
                className="rounded-2xl border border-neutral-800 bg-neutral-900 p-3"
              >
                <h2 id={`stage-heading-${stage}`} className="mb-3 flex items-center justify-between">
                  <StageBadge stage={stage} />
                  <span className="text-sm text-neutral-300">
                    {column.length} <span className="sr-only">batches</span>
                  </span>
                </h2>
                {column.length === 0 ? (
                  <p className="py-4 text-center text-sm text-neutral-300">No batches</p>
                ) : (
                  <ol className="space-y-3">
                    {column.map((b: Batch, index) => (
                      <BatchCard
                        key={b.id}
                        batch={b}
                        now={now}
                        reorder={
                          canReorder
                            ? {
                                canUp: index > 0,
                                canDown: index < column.length - 1,
                                onUp: () => send(moveWithinColumn(all, b.id, -1)),
                                onDown: () => send(moveWithinColumn(all, b.id, 1)),
                                dragging: dragging === b.id,
                                onDragStart: () => setDragging(b.id),
                                onDragEnd: () => setDragging(null),
                                onDrop: () => {
                                  if (dragging) send(dropOn(all, dragging, b.id));
                                  setDragging(null);
                                },
                              }
                            : null
                        }
                      />
                    ))}
                  </ol>
                )}
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}
