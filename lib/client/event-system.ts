"use client";

import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type {
  AdminSuccessResponse,
  EventSourceListResponse,
  InboundReprocessResponse,
  SubscriberListResponse,
  SubscriberRecoverResponse,
  DeliveryDetail,
  DeliveryList,
  DeliveryRow,
  EventLogPage,
  EventSource,
  EventSourceRow,
  EventSystemStatus,
  InboundEventsPage,
  InboundEventRow,
  PollNowResponse,
  SubscriberRow,
  SubscriberRotateResponse,
  SubscriberSecretResponse,
  SubscriberTestResponse,
  Subscriber,
} from "@/lib/events/admin-response";
import type { JobListResponse, JobRunResponse, JobViewResponse as JobView } from "@/lib/domain/system/system-response";
import type { CreateEventSourceInput, UpdateEventSourceInput } from "@/lib/events/sources/schemas";
import type { createSubscriberSchema, updateSubscriberSchema } from "@/lib/events/subscribers/schemas";
import type { z } from "zod";

/**
 * Hooks of the admin Event system page. Response types are `z.infer` of the routes' response
 * schemas (lib/events/admin-response.ts, lib/domain/system/system-response.ts), which the OpenAPI
 * document and tests/integration/openapi-responses.test.ts check against the real answers.
 */

export type EventLogEntry = EventLogPage["events"][number];
export type {
  JobView,
  EventLogPage,
  InboundEventsPage,
  DeliveryDetail,
  DeliveryList,
  DeliveryRow,
  SubscriberRow,
  EventSourceRow,
  EventSystemStatus,
  InboundEventRow,
  PollNowResponse,
};
export type CreateSubscriberBody = z.input<typeof createSubscriberSchema>;
export type UpdateSubscriberBody = z.input<typeof updateSubscriberSchema>;

const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : "";
};

/** Deliveries change without events (the worker completes them): poll while the tab is open. */
const QUEUE_POLL_MS = 2000;

export function useDeliveries(filter: { status?: string; subscriber_id?: string }) {
  return useQuery({
    queryKey: queryKeys.eventSystem.deliveries(filter),
    queryFn: () => apiFetch<DeliveryList>(`/api/admin/deliveries${query({ ...filter, limit: "200" })}`),
    refetchInterval: QUEUE_POLL_MS,
  });
}

export function useDelivery(id: string | null) {
  return useQuery({
    queryKey: queryKeys.eventSystem.delivery(id ?? ""),
    queryFn: () => apiFetch<{ delivery: DeliveryDetail }>(`/api/admin/deliveries/${encodeURIComponent(id!)}`),
    enabled: !!id,
    refetchInterval: QUEUE_POLL_MS,
  });
}

export function useSubscribers() {
  return useQuery({
    queryKey: queryKeys.eventSystem.subscribers,
    queryFn: () => apiFetch<SubscriberListResponse>("/api/admin/subscribers"),
  });
}

export function useEventSources() {
  return useQuery({
    queryKey: queryKeys.eventSystem.sources,
    queryFn: () => apiFetch<EventSourceListResponse>("/api/admin/event-sources"),
  });
}

export function useInboundEvents(filter: { source?: string; status?: string }, enabled = true) {
  return useQuery({
    queryKey: queryKeys.eventSystem.inbound(filter),
    queryFn: () => apiFetch<InboundEventsPage>(`/api/webhooks/events${query({ ...filter, limit: "50" })}`),
    enabled,
  });
}

export function useEventLog(filter: Record<string, string>) {
  return useQuery({
    queryKey: queryKeys.eventSystem.log(filter),
    queryFn: () => apiFetch<EventLogPage>(`/api/admin/events${query({ ...filter, limit: "100" })}`),
  });
}

export function useEventSystemStatus() {
  return useQuery({
    queryKey: queryKeys.eventSystem.status,
    queryFn: () => apiFetch<EventSystemStatus>("/api/admin/event-system/status"),
    refetchInterval: 5000,
  });
}

export function useJobs() {
  return useQuery({
    queryKey: queryKeys.eventSystem.jobs,
    queryFn: () => apiFetch<JobListResponse>("/api/admin/jobs"),
    refetchInterval: 5000,
  });
}

/** A mutation that refreshes the given keys when it settles. */
function useAdminMutation<V, R>(fn: (vars: V) => Promise<R>, keys: QueryKey[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

const k = queryKeys.eventSystem;

export const useRetryDelivery = () =>
  useAdminMutation(
    (id: string) => apiMutate<{ delivery: DeliveryDetail }>(`/api/admin/deliveries/${encodeURIComponent(id)}/retry`, {}),
    [k.deliveriesAll, k.all],
  );
export const useCancelDelivery = () =>
  useAdminMutation(
    (id: string) => apiMutate<{ delivery: DeliveryDetail }>(`/api/admin/deliveries/${encodeURIComponent(id)}/cancel`, {}),
    [k.all],
  );

export const useCreateSubscriber = () =>
  useAdminMutation((body: CreateSubscriberBody) => apiMutate<SubscriberSecretResponse>("/api/admin/subscribers", body), [k.subscribers]);
export const useUpdateSubscriber = () =>
  useAdminMutation(
    ({ id, body }: { id: string; body: UpdateSubscriberBody }) =>
      apiMutate<{ subscriber: Subscriber }>(`/api/admin/subscribers/${encodeURIComponent(id)}`, body, "PATCH"),
    [k.subscribers],
  );
export const useDeleteSubscriber = () =>
  useAdminMutation(
    (id: string) => apiMutate<AdminSuccessResponse>(`/api/admin/subscribers/${encodeURIComponent(id)}`, undefined, "DELETE"),
    [k.subscribers, k.deliveriesAll],
  );
export const useRotateSecret = () =>
  useAdminMutation(
    (id: string) => apiMutate<SubscriberRotateResponse>(`/api/admin/subscribers/${encodeURIComponent(id)}/rotate-secret`, {}),
    [k.subscribers],
  );
export const useSendTestEvent = () =>
  useAdminMutation(
    (id: string) => apiMutate<SubscriberTestResponse>(`/api/admin/subscribers/${encodeURIComponent(id)}/test`, {}),
    [k.deliveriesAll, k.subscribers],
  );
export const useRecoverSubscriber = () =>
  useAdminMutation(
    ({ id, from, to }: { id: string; from: string; to?: string }) =>
      apiMutate<SubscriberRecoverResponse>(`/api/admin/subscribers/${encodeURIComponent(id)}/recover`, { from, to }),
    [k.deliveriesAll, k.subscribers],
  );

export const useCreateEventSource = () =>
  useAdminMutation(
    (body: Partial<CreateEventSourceInput> & { name: string; url: string }) =>
      apiMutate<{ source: EventSource }>("/api/admin/event-sources", body),
    [k.sources],
  );
export const useUpdateEventSource = () =>
  useAdminMutation(
    ({ id, body }: { id: string; body: Partial<UpdateEventSourceInput> }) =>
      apiMutate<{ source: EventSource }>(`/api/admin/event-sources/${encodeURIComponent(id)}`, body, "PATCH"),
    [k.sources],
  );
export const useDeleteEventSource = () =>
  useAdminMutation(
    (id: string) => apiMutate<AdminSuccessResponse>(`/api/admin/event-sources/${encodeURIComponent(id)}`, undefined, "DELETE"),
    [k.sources, k.inboundAll],
  );
export const usePollNow = () =>
  useAdminMutation(
    (sourceId?: string) => apiMutate<PollNowResponse>("/api/webhooks/poll-events", sourceId ? { source_id: sourceId } : {}),
    [k.sources, k.inboundAll],
  );
export const useReprocessInbound = () =>
  useAdminMutation(
    (id: number) => apiMutate<InboundReprocessResponse>(`/api/webhooks/events/${id}/reprocess`, {}),
    [k.inboundAll, k.sources],
  );

export const useRunJob = () =>
  useAdminMutation((name: string) => apiMutate<JobRunResponse>(`/api/admin/jobs/${encodeURIComponent(name)}/run`, {}), [k.jobs, k.status]);
