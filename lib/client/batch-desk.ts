"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type {
  AllocationPreviewResponse,
  ArchiveResponse,
  Batch,
  BatchDetailResponse,
  BatchSaveResponse,
  BatchUpdateResponse,
  CountsResponse,
  PlanResponse,
} from "@/lib/domain/batches/batch-response";
import type { CreateBatchInput, UpdateBatchInput } from "@/lib/domain/batches/batch-schema";

/**
 * Batches at the desk: the full form, the archive and deletion. Plain requests, not the floor's
 * device outbox — a manager at a desk is online, and a form wants the server's answer (its field
 * messages, the plan's cap) before it says "Saved".
 */

const batchPath = (id: string, rest = "") => `/api/batches/${encodeURIComponent(id)}${rest}`;
const legacyBatchPath = (id: string, rest: string) => `/api/batch/${encodeURIComponent(id)}${rest}`;

/** One batch for the edit form (the same cache entry as the floor page). */
export function useBatchForEdit(id: string) {
  return useQuery({
    queryKey: queryKeys.batches.detail(id),
    queryFn: () => apiFetch<BatchDetailResponse>(batchPath(id)),
    // The form is filled once from this; a refetch behind an open form must not reset it.
    refetchOnWindowFocus: false,
  });
}

export function useArchivedBatches() {
  return useQuery({ queryKey: queryKeys.batches.archived, queryFn: () => apiFetch<Batch[]>("/api/archive") });
}

/** Units each size would get from `grams` under the allocation setting (debounced by the caller). */
export function useAllocationPreview(grams: number | null) {
  return useQuery({
    queryKey: queryKeys.batches.allocationPreview(grams ?? 0),
    queryFn: () => apiFetch<AllocationPreviewResponse>(`/api/allocation-preview?weight=${grams ?? 0}`),
    enabled: grams !== null && grams > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Returned from onSettled, so `mutateAsync` resolves once the batch queries hold the saved record. */
function useInvalidateBatches() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.batches.all });
}

export function useCreateBatch() {
  const invalidate = useInvalidateBatches();
  return useMutation({
    mutationFn: (body: CreateBatchInput) => apiMutate<BatchSaveResponse>("/api/batches", body),
    onSuccess: () => invalidate(),
  });
}

/** The edit form's save: changed fields (PATCH), then a stage move and counts when those changed. */
export function useSaveBatch(id: string) {
  const invalidate = useInvalidateBatches();
  return useMutation({
    mutationFn: async ({
      fields,
      stage,
      counts,
    }: {
      fields: UpdateBatchInput | null;
      stage: number | null;
      counts: Partial<Record<"counts_0_5" | "counts_0_7" | "counts_1_0", number>> | null;
    }) => {
      if (fields) await apiMutate<BatchUpdateResponse>(batchPath(id), fields, "PATCH");
      if (counts) await apiMutate<CountsResponse>(legacyBatchPath(id, "/counts"), counts);
      if (stage !== null) await apiMutate<BatchSaveResponse>(batchPath(id, "/stage"), { stage });
    },
    onSettled: () => invalidate(),
  });
}

/** The plan through its own route, which caps it to the grams (`adjusted` when it did). */
export function useSaveBatchPlan() {
  const invalidate = useInvalidateBatches();
  return useMutation({
    mutationFn: ({
      id,
      plan,
    }: {
      id: string;
      plan: { planned_0_5: number; planned_0_7: number; planned_1_0: number; plan_use_grams: number };
    }) => apiMutate<PlanResponse>(legacyBatchPath(id, "/plan"), plan),
    onSettled: () => invalidate(),
  });
}

export function useSetBatchArchived() {
  const invalidate = useInvalidateBatches();
  return useMutation({
    mutationFn: ({ id, archive }: { id: string; archive: boolean }) =>
      apiMutate<ArchiveResponse>(`/api/archive/${encodeURIComponent(id)}`, { archive }),
    onSettled: () => invalidate(),
  });
}

export function useDeleteBatch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiMutate<{ success: true; message: string }>(batchPath(id), undefined, "DELETE"),
    // Only the lists: refetching the deleted batch itself would 404 under the page that is leaving it.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.batches.active }),
        client.invalidateQueries({ queryKey: queryKeys.batches.archived }),
      ]),
  });
}
