"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { InventorySettingsResponse, SuppliesResponse, SupplySaveResponse } from "@/lib/domain/supplies/inventory-response";
import type { BomUse } from "@/lib/domain/supplies/bom-schema";
import type { Size } from "@/lib/domain/batches/constants";

/**
 * The admin part of /inventory (and the papers section of /settings): paper thresholds and box
 * sizes, other supplies and their bill of materials. Desk writes (no device outbox); loaded only
 * with the admin part, never by the floor page's first JavaScript.
 */

export function useSupplies() {
  return useQuery({ queryKey: queryKeys.inventory.supplies, queryFn: () => apiFetch<SuppliesResponse>("/api/supplies") });
}

function useInvalidateInventory() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.inventory.all }),
      client.invalidateQueries({ queryKey: queryKeys.audit.all }),
    ]);
}

export interface PaperSettingsPatch {
  thresholds?: Partial<Record<Size, number>>;
  papers_per_box?: Partial<Record<Size, number>>;
}

export function useSavePaperSettings() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: (patch: PaperSettingsPatch) => apiMutate<InventorySettingsResponse>("/api/inventory/settings", patch),
    onSuccess: invalidate,
  });
}

export interface NewSupply {
  kind: string;
  name: string;
  unit: string;
  units_per_box: number;
  low_threshold_boxes: number;
  boxes: number;
  individual_units: number;
}

export function useCreateSupply() {
  const invalidate = useInvalidateInventory();
  return useMutation({ mutationFn: (body: NewSupply) => apiMutate<SupplySaveResponse>("/api/supplies", body), onSuccess: invalidate });
}

export type SupplyPatch = Partial<Omit<NewSupply, "kind">>;

export function useUpdateSupply() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: SupplyPatch }) => apiMutate<SupplySaveResponse>(`/api/supplies/${id}`, patch, "PATCH"),
    onSuccess: invalidate,
  });
}

export function useSaveBom() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, uses }: { id: string; uses: BomUse[] }) => apiMutate<SupplySaveResponse>(`/api/supplies/${id}/bom`, { uses }, "PUT"),
    onSuccess: invalidate,
  });
}
