"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { useOutboxWrite } from "@/lib/client/outbox/outbox-context";
import { batchScope } from "@/lib/client/outbox/effects";
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

/** Saves one size's settings (`centrifuge_settings_by_size[size]`), through the device outbox. */
export function useSaveCentrifugeSettings(batchId: string) {
  return useOutboxWrite<CentrifugeSettingsInput, BatchCentrifugeResponse>({
    kind: "batch.centrifuge",
    scope: batchScope(batchId),
    request: (input) => ({ method: "POST", path: `/api/batch/${encodeURIComponent(batchId)}/centrifuge`, body: input }),
    waitMs: 4_000,
    discardOnReject: true,
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
  return useOutboxWrite<OutcomeInput, CentrifugeOutcomeResponse>({
    kind: "centrifuge.outcome",
    scope: batchScope(batchId),
    request: (input) => ({ method: "POST", path: "/api/centrifuge/outcomes", body: input }),
    waitMs: 4_000,
    discardOnReject: true,
  });
}
