"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { writeKeys } from "@/lib/client/mutations";
import { useConnectionState } from "@/lib/client/live/live-updates";
import type { Size } from "@/lib/domain/batches/constants";
import type { DismissResponse, InventoryResponse, InventoryUpdateResponse } from "@/lib/domain/supplies/inventory-response";

/** Papers/cones: the inventory (board banners, /inventory), shelf-count updates and dismissals. */

export function usePaperInventory() {
  const connection = useConnectionState();
  return useQuery({
    queryKey: queryKeys.inventory.papers,
    queryFn: () => apiFetch<InventoryResponse>("/api/inventory/"),
    // Papers have no last-updated endpoint: without the stream, ask again every 30 s.
    refetchInterval: connection.kind === "live" ? false : 30_000,
  });
}

export interface PapersUpdate {
  size: Size;
  box_count: number;
  individual_papers: number;
}

export function useUpdatePapers() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.inventory,
    mutationFn: (input: PapersUpdate) => apiMutate<InventoryUpdateResponse>("/api/inventory/update", input),
    onSuccess: (_res, input) => toast.success(`${input.size.replace("_", ".")} g papers saved`),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.inventory.all }),
  });
}

/** Dismisses one size's low-stock banner (it returns when the stock drops further or after a day; see the server rule). */
export function useDismissPaperAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.inventory,
    mutationFn: (size: Size) => apiMutate<DismissResponse>(`/api/dismiss-inventory-alert/${size}`, {}),
    onError: (error) => toast.error(error.message),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.inventory.all }),
  });
}

export function useDismissAllPaperAlerts() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.inventory,
    mutationFn: () => apiMutate<DismissResponse>("/api/dismiss-inventory-alerts", {}),
    onError: (error) => toast.error(error.message),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.inventory.all }),
  });
}
