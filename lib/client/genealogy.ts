"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { deskFreshness } from "@/lib/client/desk-freshness";
import type {
  BatchInputChangeResponse,
  BatchInputsResponse,
  PackageRecallResponse,
  SourceRecallResponse,
} from "@/lib/domain/genealogy/genealogy-response";

/** Genealogy: a batch's METRC source packages (desk batch edit page) and the /genealogy recall searches. */

export function useBatchInputs(batchId: string) {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.genealogy.inputs(batchId),
    queryFn: ({ signal }) => apiFetch<BatchInputsResponse>(`/api/batches/${encodeURIComponent(batchId)}/inputs`, { signal }),
  });
}

/** Every genealogy query (inputs lists and recall searches) may change with one input. */
function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.genealogy.all });
}

export interface AddInputValues {
  source_metrc_number: string;
  grams: number;
  notes: string | null;
}

export function useAddInput(batchId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: AddInputValues) => apiMutate<BatchInputChangeResponse>(`/api/batches/${encodeURIComponent(batchId)}/inputs`, input),
    onSuccess: refresh,
  });
}

export function useRemoveInput(batchId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (inputId: number) =>
      apiMutate<BatchInputChangeResponse>(`/api/batches/${encodeURIComponent(batchId)}/inputs/${inputId}`, undefined, "DELETE"),
    onSuccess: refresh,
  });
}

/** The recall of one tag as a source package (which batches used it, what they made). Off while `tag` is empty. */
export function useSourceRecall(tag: string) {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.genealogy.source(tag),
    queryFn: ({ signal }) => apiFetch<SourceRecallResponse>(`/api/genealogy/source/${encodeURIComponent(tag)}`, { signal }),
    enabled: tag !== "",
  });
}

/** The recall of one tag as a finished-goods package (its batch, the batch's sources and packages). Off while `tag` is empty. */
export function usePackageRecall(tag: string) {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.genealogy.package(tag),
    queryFn: ({ signal }) => apiFetch<PackageRecallResponse>(`/api/genealogy/package/${encodeURIComponent(tag)}`, { signal }),
    enabled: tag !== "",
  });
}
