"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { writeKeys } from "@/lib/client/mutations";
import type { Size } from "@/lib/domain/batches/constants";
import type {
  BatchCentrifugeResponse,
  CentrifugeOutcomeListResponse,
  CentrifugeOutcomeResponse,
  UnifiedRecommendationsResponse,
} from "@/lib/domain/centrifuge/centrifuge-response";

/** Centrifuge: learned recommendations per strain, a batch's settings, and recorded outcomes. */

export function useCentrifugeRecommendations(strain: string, grindSize: string | null) {
  return useQuery({
    queryKey: [...queryKeys.centrifuge.recommendations(strain), grindSize ?? "any"],
    queryFn: () => {
      const query = grindSize ? `?grind_size=${encodeURIComponent(grindSize)}` : "";
      return apiFetch<UnifiedRecommendationsResponse>(`/api/centrifuge-recommendations-unified/${encodeURIComponent(strain)}${query}`);
    },
    staleTime: 5 * 60_000,
  });
}

export function useBatchOutcomes(batchId: string) {
  return useQuery({
    queryKey: queryKeys.centrifuge.outcomes(batchId),
    queryFn: () => apiFetch<CentrifugeOutcomeListResponse>(`/api/centrifuge/outcomes?batch_id=${encodeURIComponent(batchId)}`),
  });
}

export interface CentrifugeSettingsInput {
  size: Size;
  centrifuge_rpm: number | null;
  centrifuge_time_seconds: number | null;
  centrifuge_cycles: number | null;
  centrifuge_fill_gauge_cycle1: number | null;
  centrifuge_fill_gauge_cycle2: number | null;
}

/** Saves one size's settings (`centrifuge_settings_by_size[size]`). */
export function useSaveCentrifugeSettings(batchId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(batchId),
    scope: { id: `batch:${batchId}` },
    mutationFn: (input: CentrifugeSettingsInput) =>
      apiMutate<BatchCentrifugeResponse>(`/api/batch/${encodeURIComponent(batchId)}/centrifuge`, input),
    onSuccess: (_res, input) => toast.success(`Centrifuge settings saved for ${input.size.replace("_", ".")}g`),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.batches.detail(batchId) }),
  });
}

export interface OutcomeInput {
  batch_id: string;
  size: Size;
  rpm: number;
  time_seconds: number;
  cycles: number;
  fill_gauge_cycle1: number | null;
  fill_gauge_cycle2: number | null;
  yield_percent: number | null;
  weight_check_pass_rate: number | null;
  notes: string | null;
}

export function useRecordOutcome(batchId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(batchId),
    scope: { id: `batch:${batchId}` },
    mutationFn: (input: OutcomeInput) => apiMutate<CentrifugeOutcomeResponse>("/api/centrifuge/outcomes", input),
    onSuccess: () => toast.success("Outcome recorded"),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.centrifuge.all }),
  });
}
