"use client";

import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { useCan } from "@/lib/client/current-user";
import { useLatestRecommendations, useSnapshotHistory } from "@/lib/client/recommendations";
import { UploadPanel } from "@/components/recommendations/upload-panel";
import { RecommendationsTable } from "@/components/recommendations/recommendations-table";
import { SnapshotCompare, SnapshotList } from "@/components/recommendations/snapshots-panel";

/** `/recommendations`: upload store sales, read what to make next, compare snapshots, export. */
export function RecommendationsPage() {
  const canUpload = useCan("operator");
  const latest = useLatestRecommendations();
  const history = useSnapshotHistory();

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">Sales recommendations</h1>
        <p className="text-neutral-300">What to roll next, from the stores&apos; sell-through: the most urgent strains first.</p>
      </div>
      {canUpload ? <UploadPanel /> : null}
      {latest.isPending ? (
        <Loading label="Loading recommendations">
          <Skeleton className="h-96" />
        </Loading>
      ) : latest.isError ? (
        <ErrorState title="Could not load recommendations" error={latest.error} onRetry={() => void latest.refetch()} />
      ) : latest.data === null ? (
        <EmptyState title="No recommendations yet">
          {canUpload
            ? "Upload one CSV of sales per store above; the recommendations appear here."
            : "An operator uploads the stores' sales CSVs; the recommendations appear here."}
        </EmptyState>
      ) : (
        <RecommendationsTable snapshot={latest.data} />
      )}
      {history.isPending ? (
        <Loading label="Loading snapshots">
          <Skeleton className="h-48" />
        </Loading>
      ) : history.isError ? (
        <ErrorState title="Could not load snapshots" error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.snapshots.length === 0 ? null : (
        <>
          {history.data.snapshots.length >= 2 ? (
            <SnapshotCompare key={history.data.snapshots[0].timestamp} snapshots={history.data.snapshots} />
          ) : (
            <p className="text-neutral-300">Upload a second snapshot to compare two weeks side by side.</p>
          )}
          <SnapshotList snapshots={history.data.snapshots} />
        </>
      )}
    </div>
  );
}
