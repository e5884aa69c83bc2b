"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { deskFreshness } from "@/lib/client/desk-freshness";
import type { z } from "zod";
import type {
  FinishedGood,
  FinishedGoodList,
  PackageHistoryResponse,
  addResponseSchema,
  deductResponseSchema,
  finishedGoodCreateResponseSchema,
  orderResponseSchema,
  packResponseSchema,
  physicalOverrideResponseSchema,
} from "@/lib/domain/finished-goods/finished-good-response";

/**
 * Finished goods (METRC packages) for the desk pages: the list with its summary, one package, its
 * history, and every package operation. Desk mutations go straight to the server (not through the
 * floor's device outbox) and then refetch the finished-goods and wholesale queries.
 */

export interface FinishedGoodsFilters {
  search: string;
  /** "" = active and depleted (archived/orphaned only with includeArchived). */
  status: string;
  includeArchived: boolean;
}

export const packagePath = (metrc: string) => `/api/finished-goods/${encodeURIComponent(metrc)}`;

export function useFinishedGoods(filters: FinishedGoodsFilters) {
  const params = new URLSearchParams();
  if (filters.search.trim()) params.set("search", filters.search.trim());
  if (filters.status) params.set("status", filters.status);
  if (filters.includeArchived) params.set("include_archived", "true");
  const query = params.toString();
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.finishedGoods.list(filters),
    queryFn: ({ signal }) => apiFetch<FinishedGoodList>(`/api/finished-goods/${query ? `?${query}` : ""}`, { signal }),
    // Typing in the search box keeps the last cards on screen instead of flashing skeletons.
    placeholderData: keepPreviousData,
  });
}

export function useFinishedGood(metrc: string) {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.finishedGoods.detail(metrc),
    queryFn: ({ signal }) => apiFetch<FinishedGood>(packagePath(metrc), { signal }),
  });
}

export function usePackageHistory(metrc: string) {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.finishedGoods.history(metrc),
    queryFn: ({ signal }) => apiFetch<PackageHistoryResponse>(`${packagePath(metrc)}/history`, { signal }),
  });
}

/** Refetches everything a package change can move: packages, their history, wholesale. */
function useRefreshPackages() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.finishedGoods.all }),
      client.invalidateQueries({ queryKey: queryKeys.wholesale.all }),
    ]);
}

export interface NewPackageInput {
  metrc_number: string;
  strain: string;
  grams: number;
  notes?: string | null;
  source_batch_id?: string | null;
}

export function useCreatePackage() {
  const refresh = useRefreshPackages();
  return useMutation({
    mutationFn: (input: NewPackageInput) => apiMutate<z.infer<typeof finishedGoodCreateResponseSchema>>("/api/finished-goods/", input),
    onSuccess: refresh,
  });
}

/** Deduct/add body: grams, or units of a size. */
export type GramsOrUnitsInput = ({ grams: number } | { units: number; unit_size: string }) & { reason?: string | null };

/** What the page reads of an operation's answer whose route has no response schema: only that it worked. */
type Done = { success: true };

/** One POST operation of a package (`…/{metrc}/{action}`), refetching on success. */
function usePackagePost<T = Done>(metrc: string, action: string) {
  const refresh = useRefreshPackages();
  return useMutation({ mutationFn: (body: unknown) => apiMutate<T>(`${packagePath(metrc)}/${action}`, body), onSuccess: refresh });
}

/** The package operations of the contract, one mutation each. */
export function usePackageActions(metrc: string) {
  const refresh = useRefreshPackages();
  const deduct = usePackagePost<z.infer<typeof deductResponseSchema>>(metrc, "deduct");
  const add = usePackagePost<z.infer<typeof addResponseSchema>>(metrc, "add");
  const pack = usePackagePost<z.infer<typeof packResponseSchema>>(metrc, "pack");
  const order = usePackagePost<z.infer<typeof orderResponseSchema>>(metrc, "order");
  const setOrdered = usePackagePost(metrc, "set-ordered");
  const setPacked = usePackagePost(metrc, "set-packed");
  const completeOrder = usePackagePost(metrc, "complete-order");
  const override = usePackagePost<z.infer<typeof physicalOverrideResponseSchema>>(metrc, "physical-override");
  const apexAuto = usePackagePost(metrc, "apex-auto");
  const apexSettings = usePackagePost(metrc, "apex-settings");
  const customSku = useMutation({
    mutationFn: (body: { sku_key: string; sku_def: { name: string; grams_per_unit: number; pack_size: number } }) =>
      apiMutate<Done>(`${packagePath(metrc)}/custom-skus`, body, "PUT"),
    onSuccess: refresh,
  });
  const deleteCustomSku = useMutation({
    mutationFn: (key: string) => apiMutate<Done>(`${packagePath(metrc)}/custom-skus/${encodeURIComponent(key)}`, undefined, "DELETE"),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (action: RemoveAction) => {
      const query = action === "archive" ? "" : action === "delete" ? "?permanent=true" : `?${action}=true`;
      return apiMutate<Done & { message: string }>(`${packagePath(metrc)}${query}`, undefined, "DELETE");
    },
    onSuccess: refresh,
  });
  return {
    deduct,
    add,
    pack,
    order,
    setOrdered,
    setPacked,
    completeOrder,
    override,
    apexAuto,
    apexSettings,
    customSku,
    deleteCustomSku,
    remove,
  };
}

export type RemoveAction = "archive" | "restore" | "orphan" | "delete";
