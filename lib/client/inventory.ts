"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { useConnectionState } from "@/lib/client/live/live-updates";
import { useOutboxWrite, usePendingWrites } from "@/lib/client/outbox/outbox-context";
import { applyToInventory, INVENTORY_SCOPE } from "@/lib/client/outbox/effects";
import type { Size } from "@/lib/domain/batches/constants";
import type { DismissResponse, InventoryResponse, InventoryUpdateResponse } from "@/lib/domain/supplies/inventory-response";

/** Papers/cones: the inventory (board banners, /inventory), shelf-count updates and dismissals. */

/** Papers/cones with this device's pending shelf counts and dismissals laid over them. */
export function usePaperInventory() {
  const connection = useConnectionState();
  const pending = usePendingWrites(INVENTORY_SCOPE);
  const select = useCallback((data: InventoryResponse) => applyToInventory(data, pending), [pending]);
  return useQuery({
    select,
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
  return useOutboxWrite<PapersUpdate, InventoryUpdateResponse>({
    kind: "papers.update",
    scope: INVENTORY_SCOPE,
    request: (input) => ({ method: "POST", path: "/api/inventory/update", body: input }),
    waitMs: 4_000,
    discardOnReject: true,
  });
}

/** Dismisses one size's low-stock banner (it returns when the stock drops further or after a day; see the server rule). */
export function useDismissPaperAlert() {
  return useOutboxWrite<Size, DismissResponse>({
    kind: "papers.dismiss",
    scope: INVENTORY_SCOPE,
    request: (size) => ({ method: "POST", path: `/api/dismiss-inventory-alert/${size}`, body: {} }),
  });
}

export function useDismissAllPaperAlerts() {
  return useOutboxWrite<void, DismissResponse>({
    kind: "papers.dismiss-all",
    scope: INVENTORY_SCOPE,
    request: () => ({ method: "POST", path: "/api/dismiss-inventory-alerts", body: {} }),
  });
}
