"use client";

import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { Size } from "@/lib/domain/batches/constants";
import type {
  BatchCentrifugeResponse,
  CentrifugeOutcomeListResponse,
  SettingsGuideResponse,
  UnifiedRecommendationsResponse,
} from "@/lib/domain/centrifuge/centrifuge-response";
import type {
  BatchComparisonResponse,
  CalculateResponse,
  CentrifugeHistoryResponse,
  CompareResponse,
  CurveDataResponse,
  ImpulseCalculateResponse,
  ImpulseZonesResponse,
  TargetMatchResponse,
  TrendsResponse,
} from "@/lib/domain/centrifuge/centrifuge-tools-response";
import type { SettingsResponse } from "@/lib/domain/settings/settings-response";

/**
 * The desk's /centrifuge page: calculators, the machine list, strain trends and history, and the
 * desk writes (machines, applying a recommendation to a batch). Desk only — the floor's Plan page
 * uses lib/client/centrifuge.ts; nothing here is imported by floor pages.
 */

/** Calculator answers are pure functions of their input: keep them briefly, do not refetch. */
const TOOL_CACHE = { staleTime: Infinity, gcTime: 5 * 60_000, placeholderData: keepPreviousData } as const;

/** A calculator route, asked once per submitted input (null = nothing submitted yet). */
function useTool<I, O>(name: string, path: string, input: I | null) {
  return useQuery({
    queryKey: queryKeys.centrifuge.tool(name, input),
    queryFn: () => apiFetch<O>(path, { method: "POST", json: input }),
    enabled: input !== null,
    ...TOOL_CACHE,
  });
}

export interface CalculateInput {
  rpm: number;
  centrifuge_type: string;
}
export const useCalculateForce = (input: CalculateInput | null) =>
  useTool<CalculateInput, CalculateResponse>("calculate", "/api/centrifuge/calculate", input);

export interface CompareInput {
  rpm: number;
  source_centrifuge: string;
}
export const useCompareMachines = (input: CompareInput | null) =>
  useTool<CompareInput, CompareResponse>("compare", "/api/centrifuge/compare", input);

export interface ImpulseInput {
  rpm: number;
  time_seconds: number;
  weight_grams: number;
  centrifuge_type: string;
}
export const useImpulse = (input: ImpulseInput | null) =>
  useTool<ImpulseInput, ImpulseCalculateResponse>("impulse", "/api/centrifuge/impulse-calculate", input);

export interface TargetMatchInput extends ImpulseInput {
  target_impulse: number;
  adjust_mode: "rpm" | "time";
}
export const useTargetMatch = (input: TargetMatchInput | null) =>
  useTool<TargetMatchInput, TargetMatchResponse>("target-match", "/api/centrifuge/target-match", input);

export interface BatchComparisonInput {
  rpm: number;
  time_seconds: number;
  centrifuge_type: string;
  batch_weights: number[];
}
export const useBatchComparison = (input: BatchComparisonInput | null) =>
  useTool<BatchComparisonInput, BatchComparisonResponse>("batch-comparison", "/api/centrifuge/batch-comparison", input);

/** Machines, rpm safety zones, impulse zones and the starting ranges for standard material. */
export function useSettingsGuide() {
  return useQuery({
    queryKey: queryKeys.centrifuge.guide,
    queryFn: () => apiFetch<SettingsGuideResponse>("/api/centrifuge/settings-guide"),
    staleTime: 5 * 60_000,
  });
}

export function useImpulseZones() {
  return useQuery({
    queryKey: queryKeys.centrifuge.impulseZones,
    queryFn: () => apiFetch<ImpulseZonesResponse>("/api/centrifuge/impulse-zones"),
    staleTime: 5 * 60_000,
  });
}

/** The range and step of the force curve (both the chart and its table). */
export const CURVE = { rpm_min: 500, rpm_max: 5000, step: 250 } as const;

/** g-force against rpm for each machine. */
export function useForceCurves(machineIds: readonly string[]) {
  return useQueries({
    queries: machineIds.map((id) => ({
      queryKey: queryKeys.centrifuge.curve(id),
      queryFn: () =>
        apiFetch<CurveDataResponse>(
          `/api/centrifuge/curve-data?centrifuge=${encodeURIComponent(id)}&rpm_min=${CURVE.rpm_min}&rpm_max=${CURVE.rpm_max}&step=${CURVE.step}`,
        ),
      staleTime: 5 * 60_000,
    })),
  });
}

/** Strains with recorded centrifuge runs, by number of runs (the most-run first). */
export function useOutcomeStrains() {
  return useQuery({
    queryKey: queryKeys.centrifuge.strains,
    queryFn: () => apiFetch<CentrifugeOutcomeListResponse>("/api/centrifuge/outcomes?limit=5000"),
    select: (data) => {
      const runs = new Map<string, { strain: string; runs: number }>();
      for (const o of data.outcomes) {
        const key = o.strain.trim().toLowerCase();
        const entry = runs.get(key) ?? { strain: o.strain, runs: 0 };
        entry.runs += 1;
        runs.set(key, entry);
      }
      return [...runs.values()].sort((a, b) => b.runs - a.runs || a.strain.localeCompare(b.strain));
    },
  });
}

export interface TrendFilters {
  grind_size: string | null;
  size: Size | null;
}

const searchOf = (params: Record<string, string | null | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : "";
};

export function useStrainTrends(strain: string, filters: TrendFilters) {
  return useQuery({
    queryKey: [...queryKeys.centrifuge.trends(strain), filters],
    queryFn: () =>
      apiFetch<TrendsResponse>(
        `/api/centrifuge-trends/${encodeURIComponent(strain)}${searchOf({ grind_size: filters.grind_size, size: filters.size })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export interface UnifiedFilters {
  grind_size: string | null;
  priority_mode: "weight" | "count";
}

export function useUnifiedRecommendations(strain: string, filters: UnifiedFilters) {
  return useQuery({
    queryKey: queryKeys.centrifuge.unified(strain, filters),
    queryFn: () =>
      apiFetch<UnifiedRecommendationsResponse>(
        `/api/centrifuge-recommendations-unified/${encodeURIComponent(strain)}${searchOf({
          grind_size: filters.grind_size,
          priority_mode: filters.priority_mode,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useStrainHistory(strain: string) {
  return useQuery({
    queryKey: queryKeys.centrifuge.strainHistory(strain),
    queryFn: () => apiFetch<CentrifugeHistoryResponse>(`/api/centrifuge-history/${encodeURIComponent(strain)}`),
  });
}

export type Machines = SettingsResponse["centrifuge_machines"];

/** Admin: replaces the `centrifuge_machines` setting (the whole list: add, edit or remove one). */
export function useSaveMachines() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (machines: Machines) =>
      apiMutate<{ success: true; settings: SettingsResponse }>("/api/settings", { centrifuge_machines: machines }, "PUT"),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.settings }),
        client.invalidateQueries({ queryKey: queryKeys.centrifuge.all }),
      ]),
  });
}

export interface ApplySettingsInput {
  batchId: string;
  size: Size;
  centrifuge_rpm: number;
  centrifuge_time_seconds: number;
  centrifuge_cycles: number;
  centrifuge_fill_gauge_cycle1: number | null;
  centrifuge_fill_gauge_cycle2: number | null;
}

/** Operator+: puts a recommendation into one size's settings of a batch (what its Plan page shows). */
export function useApplyToBatch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ batchId, ...body }: ApplySettingsInput) =>
      apiMutate<BatchCentrifugeResponse>(`/api/batch/${encodeURIComponent(batchId)}/centrifuge`, body),
    onSuccess: (_res, input) =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.batches.active }),
        client.invalidateQueries({ queryKey: queryKeys.batches.detail(input.batchId) }),
        client.invalidateQueries({ queryKey: queryKeys.centrifuge.history }),
      ]),
  });
}
