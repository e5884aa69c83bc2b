"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { toast } from "@/components/ui/toast";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { ALL_SCOPES, useOutboxWrite, usePendingWrites } from "@/lib/client/outbox/outbox-context";
import { applyToBatch, applyToBatchList, batchScope, BOARD_SCOPE } from "@/lib/client/outbox/effects";
import type {
  Batch,
  BatchDetailResponse,
  PlanResponse,
  RateHistoryResponse,
  ReorderResponse,
  StageChangeResponse,
} from "@/lib/domain/batches/batch-response";
import type { UpdateBatchInput } from "@/lib/domain/batches/batch-schema";
import type { Size } from "@/lib/domain/batches/constants";
import type { WeightAnalytics, WeightCheckResponse } from "@/lib/domain/weight-checks/weight-check-response";

/** Batches: the board's list, one batch, its rate history and weight analytics, and every write. */

/** The board's batches, with this device's pending writes (counts, stages, order) laid over them. */
export function useActiveBatches() {
  const pending = usePendingWrites(ALL_SCOPES);
  const select = useCallback((data: Batch[]) => applyToBatchList(data, pending), [pending]);
  return useQuery({ queryKey: queryKeys.batches.active, queryFn: () => apiFetch<Batch[]>("/api/data"), select });
}

/** The batch page's data; `today` is null while the board's copy stands in for the full record. */
export type BatchPageData = Omit<BatchDetailResponse, "today"> & { today: BatchDetailResponse["today"] | null };

/** The counting figures of a batch: a count tap re-renders only what subscribes to these. */
export interface BatchCounts {
  counts: Record<Size, number>;
  planned: Record<Size, number>;
  today: BatchDetailResponse["today"] | null;
}

const countFields = ["counts_0_5", "counts_0_7", "counts_1_0", "total_count"] as const;

/** A batch without its running counts: what the batch page shows around the count. */
export type BatchShape = Omit<Batch, (typeof countFields)[number]>;

/** The batch without its counts (structurally shared: equal results do not re-render). */
function withoutCounts(data: BatchPageData): BatchShape {
  const batch: Partial<Batch> = { ...data.batch };
  for (const f of countFields) delete batch[f];
  return batch as BatchShape;
}

function countsOf(data: BatchPageData): BatchCounts {
  const b = data.batch;
  return {
    counts: { "0_5": b.counts_0_5, "0_7": b.counts_0_7, "1_0": b.counts_1_0 },
    planned: { "0_5": b.planned_0_5, "0_7": b.planned_0_7, "1_0": b.planned_1_0 },
    today: data.today,
  };
}

/**
 * The batch page's record without the counts (they live in `useBatchCounts`), so the page around
 * the count does not re-render on every tap (UI-GUIDE §5: the new count within 100 ms).
 */
export function useBatchShape(id: string) {
  return useBatchQuery(id, withoutCounts);
}

export function useBatchCounts(id: string) {
  return useBatchQuery(id, countsOf);
}

/** One derived value of the batch page's data; re-renders only when that value changes. */
export function useBatchSelect<T>(id: string, select: (data: BatchPageData) => T) {
  return useBatchQuery(id, select);
}

function useBatchQuery<T>(id: string, select: (data: BatchPageData) => T) {
  const client = useQueryClient();
  // The server's record with this device's pending writes to the batch laid over it (UI-GUIDE §4).
  const pending = usePendingWrites(batchScope(id));
  const withPending = useCallback(
    (data: BatchPageData) => select(pending.length ? { ...data, batch: pending.reduce(applyToBatch, data.batch) } : data),
    [pending, select],
  );
  return useQuery<BatchPageData, Error, T>({
    select: withPending,
    queryKey: queryKeys.batches.detail(id),
    queryFn: () => apiFetch<BatchDetailResponse>(`/api/batches/${encodeURIComponent(id)}`),
    // Coming from the board, show the card's data at once while the full record loads.
    placeholderData: () => {
      const fromBoard = client.getQueryData<Batch[]>(queryKeys.batches.active)?.find((b) => b.id === id);
      return fromBoard ? { batch: fromBoard, today: null } : undefined;
    },
  });
}

export function useRateHistory(id: string) {
  return useQuery({
    queryKey: queryKeys.batches.rateHistory(id),
    queryFn: () => apiFetch<RateHistoryResponse>(`/api/batch/${encodeURIComponent(id)}/rate-history`),
  });
}

export function useWeightAnalytics(id: string) {
  return useQuery({
    queryKey: queryKeys.batches.weightAnalytics(id),
    queryFn: () => apiFetch<WeightAnalytics>(`/api/weight-analytics/${encodeURIComponent(id)}`),
  });
}

export type CountChange = { size: Size; add: number } | { size: Size; set: number };

const batchPath = (id: string, rest = "") => `/api/batches/${encodeURIComponent(id)}${rest}`;
const batchApiPath = (id: string, rest: string) => `/api/batch/${encodeURIComponent(id)}${rest}`;

/**
 * Counting: `+25` etc. send increments (`add_0_5`), so two tablets counting the same batch both
 * count; an exact entry sends the running total. Each goes through the device outbox with its own
 * Idempotency-Key and shows at once, online or offline; a refusal lands in the conflicts list.
 */
export function useRecordCounts(id: string) {
  return useOutboxWrite<CountChange>({
    kind: "batch.counts",
    scope: batchScope(id),
    request: (change) => ({
      method: "POST",
      path: batchApiPath(id, "/counts"),
      body: "add" in change ? { [`add_${change.size}`]: change.add } : { [`counts_${change.size}`]: change.set },
    }),
  });
}

/** What a form says when its write waits on the device (offline or a slow network). */
export const queuedNote = "Saved on this tablet — it is sent when the connection is back";

/** A stage move's body: the stage, and with "Move to Done" the mass-balance grams (one transaction). */
export type StageMove = { stage: number; lab_sample_grams?: number; waste_grams?: number; remainder_grams?: number };

/** `Move to <stage>` (a number, or the move with its grams) and the confirmed step back. */
export function useChangeStage(id: string) {
  const write = useOutboxWrite<StageMove, StageChangeResponse>({
    kind: "batch.stage",
    scope: batchScope(id),
    request: (move) => ({ method: "POST", path: batchPath(id, "/stage"), body: move }),
    waitMs: 4_000,
  });
  return {
    ...write,
    mutate: (stage: number | StageMove, callbacks: { onSettled?: () => void } = {}) =>
      write.mutate(typeof stage === "number" ? { stage } : stage, {
        onSuccess: (result) =>
          result.status === "applied" ? toast.success(`Moved to ${result.body.batch.stage_name}`) : toast.info(queuedNote),
        onError: (error) => toast.error(error.message),
        onSettled: callbacks.onSettled,
      }),
  };
}

/** Edits of batch fields from the floor (bagging counters). */
export function useUpdateBatch(id: string) {
  return useOutboxWrite<UpdateBatchInput>({
    kind: "batch.update",
    scope: batchScope(id),
    request: (patch) => ({ method: "PATCH", path: batchPath(id), body: patch }),
  });
}

export interface PlanInput {
  planned_0_5: number;
  planned_0_7: number;
  planned_1_0: number;
  plan_use_grams: number;
}

export function useSavePlan(id: string) {
  return useOutboxWrite<PlanInput, PlanResponse>({
    kind: "batch.plan",
    scope: batchScope(id),
    request: (plan) => ({ method: "POST", path: batchApiPath(id, "/plan"), body: plan }),
    waitMs: 4_000,
    discardOnReject: true,
  });
}

/** Reorders the board: the full list of active batch ids, highest priority first. */
export function useReorderBatches() {
  return useOutboxWrite<string[], ReorderResponse>({
    kind: "board.reorder",
    scope: BOARD_SCOPE,
    request: (batchIds) => ({ method: "POST", path: "/api/reorder", body: { batch_ids: batchIds } }),
  });
}

export interface WeightCheckInput {
  size: Size;
  sample_weight: number;
  count_at_measurement: number;
}

export function useRecordWeightCheck(id: string) {
  return useOutboxWrite<WeightCheckInput, WeightCheckResponse>({
    kind: "batch.weight-check",
    scope: batchScope(id),
    request: (input) => ({
      method: "POST",
      path: `/api/weight-check/${encodeURIComponent(id)}`,
      body: { ...input, size: `${input.size.replace("_", ".")}g` },
    }),
    waitMs: 4_000,
    discardOnReject: true,
  });
}
