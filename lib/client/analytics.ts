"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { AnalyticsResponse } from "@/lib/domain/analytics/analytics-response";
import type { BatchList, OverviewResponse, ProductionHistoryResponse } from "@/lib/domain/batches/batch-response";
import type { FinishedGoodHistoryResponse } from "@/lib/domain/finished-goods/finished-good-response";

/** Desk analytics: read-only series from the existing routes plus GET /api/analytics. Desk pages only. */

/** Net units counted per day and size, the last `days` days (today included). */
export function useProductionHistory(days: number) {
  return useQuery({
    queryKey: queryKeys.analytics.productionHistory(days),
    queryFn: () => apiFetch<ProductionHistoryResponse>(`/api/production-history?days=${days}`),
    placeholderData: (previous) => previous,
  });
}

/** Time per stage and papers used per day over the last `days` days. */
export function useAnalyticsSeries(days: number) {
  return useQuery({
    queryKey: queryKeys.analytics.series(days),
    queryFn: () => apiFetch<AnalyticsResponse>(`/api/analytics?days=${days}`),
    placeholderData: (previous) => previous,
  });
}

export function useOverview() {
  return useQuery({ queryKey: queryKeys.analytics.overview, queryFn: () => apiFetch<OverviewResponse>("/api/overview") });
}

/** Every batch, active and archived (the period filter is applied on the page). */
export function useAllBatches() {
  return useQuery({
    queryKey: queryKeys.analytics.batches,
    queryFn: async () => {
      const [active, archived] = await Promise.all([apiFetch<BatchList>("/api/data"), apiFetch<BatchList>("/api/archive")]);
      return [...active, ...archived];
    },
  });
}

/** The newest finished-goods history rows (the route's maximum), for grams over time. */
export const FINISHED_GOODS_HISTORY_LIMIT = 1000;

export function useFinishedGoodsHistory() {
  return useQuery({
    queryKey: queryKeys.analytics.finishedGoodsHistory,
    queryFn: () => apiFetch<FinishedGoodHistoryResponse>(`/api/finished-goods/history?limit=${FINISHED_GOODS_HISTORY_LIMIT}`),
  });
}
