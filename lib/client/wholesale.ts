"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { deskFreshness } from "@/lib/client/desk-freshness";
import type {
  WholesaleHoldCreateResponse,
  WholesaleHoldsResponse,
  WholesaleInventoryResponse,
  wholesaleHoldReleaseResponseSchema,
} from "@/lib/domain/wholesale/wholesale-response";

/** Wholesale: units per SKU after holds, the holds, and creating/releasing a hold (session only). */

export function useWholesaleInventory() {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.wholesale.inventory,
    queryFn: ({ signal }) => apiFetch<WholesaleInventoryResponse>("/api/wholesale/inventory", { signal }),
  });
}

export function useWholesaleHolds() {
  return useQuery({
    ...deskFreshness,
    queryKey: queryKeys.wholesale.holds,
    queryFn: ({ signal }) => apiFetch<WholesaleHoldsResponse>("/api/wholesale/holds", { signal }),
  });
}

/** A hold moves the package's figures too: wholesale and finished goods are refetched. */
function useRefresh() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.wholesale.all }),
      client.invalidateQueries({ queryKey: queryKeys.finishedGoods.all }),
    ]);
}

export interface CreateHoldInput {
  metrc_number: string;
  sku_name: string;
  quantity: number;
  notes: string | null;
}

export function useCreateHold() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: CreateHoldInput) => apiMutate<WholesaleHoldCreateResponse>("/api/wholesale/hold", input),
    onSuccess: refresh,
  });
}

export function useReleaseHold() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (holdId: string) =>
      apiMutate<z.infer<typeof wholesaleHoldReleaseResponseSchema>>(
        `/api/wholesale/hold/${encodeURIComponent(holdId)}`,
        undefined,
        "DELETE",
      ),
    onSuccess: refresh,
  });
}
