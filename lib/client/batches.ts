"use client";

import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { writeKeys } from "@/lib/client/mutations";
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

/** One batch's writes are sent one after another, in the order made (the server sees them in tap order). */
const batchScope = (id: string) => ({ id: `batch:${id}` });

/** Batches: the board's list, one batch, its rate history and weight analytics, and every write. */

export function useActiveBatches() {
  return useQuery({ queryKey: queryKeys.batches.active, queryFn: () => apiFetch<Batch[]>("/api/data") });
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
  return useQuery<BatchPageData, Error, T>({
    select,
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

type CountField = `counts_${Size}`;

/** Applies `change` to the batch in the page's and the board's cache (optimistic display). */
function patchBatchCaches(client: QueryClient, id: string, change: (batch: Batch) => Partial<Batch>) {
  client.setQueryData<BatchPageData>(queryKeys.batches.detail(id), (old) =>
    old ? { ...old, batch: { ...old.batch, ...change(old.batch) } } : old,
  );
  client.setQueryData<Batch[]>(queryKeys.batches.active, (old) => old?.map((b) => (b.id === id ? { ...b, ...change(b) } : b)));
}

/** Moves one size's count by `delta` (never below 0) in both caches, keeping `total_count` in step. */
function addToCount(client: QueryClient, id: string, field: CountField, delta: number) {
  patchBatchCaches(client, id, (b) => {
    const next = { ...b, [field]: Math.max(0, b[field] + delta) };
    return { [field]: next[field], total_count: next.counts_0_5 + next.counts_0_7 + next.counts_1_0 };
  });
}

/** After the last of the device's writes to a batch settles, refetch what they touched. */
function refetchBatchWhenIdle(client: QueryClient, id: string) {
  if (client.isMutating({ mutationKey: writeKeys.batch(id) }) > 1) return;
  void client.invalidateQueries({ queryKey: queryKeys.batches.detail(id) });
  void client.invalidateQueries({ queryKey: queryKeys.batches.active });
  void client.invalidateQueries({ queryKey: queryKeys.batches.rateHistory(id) });
}

export type CountChange = { size: Size; add: number } | { size: Size; set: number };

/**
 * Counting: `+25` etc. send increments (`add_0_5`), so two tablets counting the same batch both
 * count; an exact entry sends the running total. Each request carries its own Idempotency-Key;
 * the new count shows at once and rolls back if the server refuses.
 */
export function useRecordCounts(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(id),
    scope: batchScope(id),
    mutationFn: (change: CountChange) =>
      apiMutate<{ ok: true }>(
        `/api/batch/${encodeURIComponent(id)}/counts`,
        "add" in change ? { [`add_${change.size}`]: change.add } : { [`counts_${change.size}`]: change.set },
      ),
    onMutate: (change) => {
      // Synchronous on purpose: the new count must be on screen within 100 ms of the tap
      // (UI-GUIDE §5), so nothing is awaited before the cache changes.
      void client.cancelQueries({ queryKey: queryKeys.batches.detail(id) });
      void client.cancelQueries({ queryKey: queryKeys.batches.active });
      const field: CountField = `counts_${change.size}`;
      const before = client.getQueryData<BatchPageData>(queryKeys.batches.detail(id))?.batch[field] ?? 0;
      const delta = "add" in change ? change.add : change.set - before;
      addToCount(client, id, field, delta);
      return { field, delta };
    },
    onError: (error, _change, context) => {
      if (context) addToCount(client, id, context.field, -context.delta);
      toast.error(error.message);
    },
    onSettled: () => refetchBatchWhenIdle(client, id),
  });
}

/** `Move to <stage>` and the confirmed step back. */
export function useChangeStage(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(id),
    scope: batchScope(id),
    mutationFn: (stage: number) => apiMutate<StageChangeResponse>(`/api/batches/${encodeURIComponent(id)}/stage`, { stage }),
    onSuccess: (res) => {
      patchBatchCaches(client, id, () => res.batch);
      toast.success(`Moved to ${res.batch.stage_name}`);
    },
    onError: (error) => toast.error(error.message),
    onSettled: () => refetchBatchWhenIdle(client, id),
  });
}

/** Edits of batch fields from the floor (bagging counters). */
export function useUpdateBatch(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(id),
    scope: batchScope(id),
    mutationFn: (patch: UpdateBatchInput) =>
      apiMutate<{ success: true; batch: Batch }>(`/api/batches/${encodeURIComponent(id)}`, patch, "PATCH"),
    onMutate: (patch) => {
      const before = client.getQueryData<BatchPageData>(queryKeys.batches.detail(id))?.batch;
      patchBatchCaches(client, id, () => patch as Partial<Batch>);
      return { before };
    },
    onError: (error, _patch, context) => {
      if (context?.before) patchBatchCaches(client, id, () => context.before!);
      toast.error(error.message);
    },
    onSettled: () => refetchBatchWhenIdle(client, id),
  });
}

export interface PlanInput {
  planned_0_5: number;
  planned_0_7: number;
  planned_1_0: number;
  plan_use_grams: number;
}

export function useSavePlan(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(id),
    scope: batchScope(id),
    mutationFn: (plan: PlanInput) => apiMutate<PlanResponse>(`/api/batch/${encodeURIComponent(id)}/plan`, plan),
    onSuccess: (res) => {
      patchBatchCaches(client, id, () => ({ planned_0_5: res.planned_0_5, planned_0_7: res.planned_0_7, planned_1_0: res.planned_1_0 }));
      if (res.adjusted) toast.warning("Plan capped to the grams available");
      else toast.success("Plan saved");
    },
    onSettled: () => refetchBatchWhenIdle(client, id),
  });
}

/** Reorders the board: the full list of active batch ids, highest priority first. */
export function useReorderBatches() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.anyBatch,
    mutationFn: (batchIds: string[]) => apiMutate<ReorderResponse>("/api/reorder", { batch_ids: batchIds }),
    onMutate: async (batchIds) => {
      await client.cancelQueries({ queryKey: queryKeys.batches.active });
      const before = client.getQueryData<Batch[]>(queryKeys.batches.active);
      const order = new Map(batchIds.map((id, index) => [id, index]));
      client.setQueryData<Batch[]>(queryKeys.batches.active, (old) =>
        old?.map((b) => ({ ...b, display_order: order.get(b.id) ?? b.display_order })),
      );
      return { before };
    },
    onError: (error, _ids, context) => {
      if (context?.before) client.setQueryData(queryKeys.batches.active, context.before);
      toast.error(error.message);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.batches.active }),
  });
}

export interface WeightCheckInput {
  size: Size;
  sample_weight: number;
  count_at_measurement: number;
}

export function useRecordWeightCheck(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: writeKeys.batch(id),
    scope: batchScope(id),
    mutationFn: (input: WeightCheckInput) =>
      apiMutate<WeightCheckResponse>(`/api/weight-check/${encodeURIComponent(id)}`, { ...input, size: `${input.size.replace("_", ".")}g` }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.batches.weightAnalytics(id) }),
    onSettled: () => refetchBatchWhenIdle(client, id),
  });
}
