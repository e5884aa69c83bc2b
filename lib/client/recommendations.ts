"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { uploadFiles } from "@/lib/client/upload";
import type {
  CompareResponse,
  ExportResponse,
  InsightsResponse,
  SnapshotHistoryResponse,
  SnapshotResponse,
  UploadResponse,
} from "@/lib/domain/recommendations/recommendation-response";

/** Sales recommendations: the latest snapshot, the history, one snapshot, comparisons, insights, upload and export. */

/** The latest snapshot, or null before the first upload (the route's 404 `no_snapshots`). */
export function useLatestRecommendations() {
  return useQuery({
    queryKey: queryKeys.recommendations.latest,
    queryFn: async () => {
      try {
        return await apiFetch<SnapshotResponse>("/api/recommendations");
      } catch (error) {
        if (error instanceof ApiRequestError && error.code === "no_snapshots") return null;
        throw error;
      }
    },
  });
}

export function useSnapshotHistory() {
  return useQuery({
    queryKey: queryKeys.recommendations.history,
    queryFn: () => apiFetch<SnapshotHistoryResponse>("/api/snapshots/history"),
  });
}

export function useSnapshot(timestamp: string | null) {
  return useQuery({
    queryKey: queryKeys.recommendations.snapshot(timestamp ?? ""),
    queryFn: () => apiFetch<SnapshotResponse>(`/api/snapshots/${encodeURIComponent(timestamp!)}`),
    enabled: timestamp !== null,
    staleTime: Infinity, // a snapshot never changes
  });
}

/** Read-only POSTs: the comparison of two snapshots (optionally one store) and its insights. */
export function useSnapshotComparison(timestamp1: string | null, timestamp2: string | null, store: string) {
  return useQuery({
    queryKey: queryKeys.recommendations.compare(timestamp1 ?? "", timestamp2 ?? "", store),
    queryFn: () =>
      apiFetch<CompareResponse>("/api/snapshots/compare-detailed", {
        method: "POST",
        json: { timestamp1, timestamp2, store_filter: store },
      }),
    enabled: timestamp1 !== null && timestamp2 !== null && timestamp1 !== timestamp2,
    staleTime: Infinity,
  });
}

export function useSnapshotInsights(timestamp1: string | null, timestamp2: string | null) {
  return useQuery({
    queryKey: queryKeys.recommendations.insights(timestamp1 ?? "", timestamp2 ?? ""),
    queryFn: () => apiFetch<InsightsResponse>("/api/snapshots/insights", { method: "POST", json: { timestamp1, timestamp2 } }),
    enabled: timestamp1 !== null && timestamp2 !== null && timestamp1 !== timestamp2,
    staleTime: Infinity,
  });
}

/** Uploads store sales CSVs with progress (0–1); a refused upload rejects with UploadError (per-row `details.errors`). */
export function useUploadSales() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ files, onProgress }: { files: readonly File[]; onProgress: (fraction: number) => void }) =>
      uploadFiles<UploadResponse>("/api/recommendations/upload", files, { onProgress }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.recommendations.all }),
  });
}

/** Fetches a snapshot's CSV and hands it to the browser as a download. */
export function useExportSnapshot() {
  return useMutation({
    mutationFn: async (timestamp: string) => {
      const res = await apiFetch<ExportResponse>("/api/snapshots/export-csv", { method: "POST", json: { timestamp } });
      const url = URL.createObjectURL(new Blob([res.csv], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = res.filename;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked a moment later: some browsers start reading the blob after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return res;
    },
  });
}
