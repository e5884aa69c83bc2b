import { z } from "zod";
import { SUBSCRIBER_KINDS } from "@/lib/events/subscribers/config";
import { eventEnvelopeSchema } from "@/lib/events/envelope-schema";

/**
 * Response schemas of the admin Event system routes (subscribers, deliveries, event sources, the event log, inbound events, status, polling). Imported by the
 * admin page's hooks (lib/client/event-system.ts): zod and pure constants only.
 */

const isoDateTime = z.iso.datetime();
const int = z.number().int();

export const DELIVERY_STATUSES = ["pending", "processing", "completed", "failed", "dead", "cancelled"] as const;

/** A subscriber as `serializeSubscriber` shows it: the secret only as a hint. */
export const subscriberSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Glob(s), comma-separated: "finished_good.*,batch.stage_changed". */
  event_types: z.string(),
  /** Payload conditions a delivery must meet (lib/events/subscribers/filter rules); null = every event of the types. */
  filter: z.record(z.string(), z.unknown()).nullable(),
  kind: z.enum(SUBSCRIBER_KINDS),
  config: z.record(z.string(), z.unknown()),
  ordered: z.boolean(),
  max_attempts: int,
  active: z.boolean(),
  failing_since: isoDateTime.nullable(),
  disabled_reason: z.string().nullable(),
  has_secret: z.boolean(),
  secret_hint: z.string().nullable(),
  previous_secret_expires_at: isoDateTime.nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type Subscriber = z.infer<typeof subscriberSchema>;

/** A row of GET /api/admin/subscribers: the subscriber and its deliveries counted by status. */
export const subscriberRowSchema = subscriberSchema.extend({ deliveries: z.record(z.string(), int) });
export type SubscriberRow = z.infer<typeof subscriberRowSchema>;

/** GET /api/admin/subscribers. */
export const subscriberListResponseSchema = z.object({ subscribers: z.array(subscriberRowSchema) });
export type SubscriberListResponse = z.infer<typeof subscriberListResponseSchema>;
/** GET and PATCH /api/admin/subscribers/{id}. */
export const subscriberResponseSchema = z.object({ subscriber: subscriberSchema });
/** POST /api/admin/subscribers (201): the signing secret is shown this once (null for kinds that sign nothing). */
export const subscriberSecretResponseSchema = z.object({ subscriber: subscriberSchema, secret: z.string().nullable() });
export type SubscriberSecretResponse = z.infer<typeof subscriberSecretResponseSchema>;
/** POST /api/admin/subscribers/{id}/rotate-secret: the new secret, shown this once. */
export const subscriberRotateResponseSchema = z.object({ subscriber: subscriberSchema, secret: z.string() });
export type SubscriberRotateResponse = z.infer<typeof subscriberRotateResponseSchema>;
/** DELETE /api/admin/subscribers/{id}, DELETE /api/admin/event-sources/{id}. */
export const adminSuccessResponseSchema = z.object({ success: z.literal(true) });
export type AdminSuccessResponse = z.infer<typeof adminSuccessResponseSchema>;
/** POST /api/admin/subscribers/{id}/recover: deliveries of the window queued again. */
export const subscriberRecoverResponseSchema = z.object({ success: z.literal(true), requeued: int });
export type SubscriberRecoverResponse = z.infer<typeof subscriberRecoverResponseSchema>;
/** POST /api/admin/subscribers/{id}/test (202): the test event and its delivery to this subscriber. */
export const subscriberTestResponseSchema = z.object({ success: z.literal(true), event_id: int, delivery_id: z.string() });
export type SubscriberTestResponse = z.infer<typeof subscriberTestResponseSchema>;

/** A delivery row (lib/events/delivery/queue.ts `serializeDelivery`). */
export const deliveryRowSchema = z.object({
  id: z.string(),
  event_id: int,
  event_type: z.string().nullable(),
  subscriber_id: z.string(),
  subscriber_name: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: int,
  next_attempt_at: isoDateTime,
  locked_until: isoDateTime.nullable(),
  locked_by: z.string().nullable(),
  last_error: z.string().nullable(),
  last_status_code: int.nullable(),
  completed_at: isoDateTime.nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type DeliveryRow = z.infer<typeof deliveryRowSchema>;

/** GET /api/admin/deliveries: newest first, with every status counted (for the subscriber when filtered). */
export const deliveryListResponseSchema = z.object({
  deliveries: z.array(deliveryRowSchema),
  counts: z.object(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, int])) as Record<(typeof DELIVERY_STATUSES)[number], typeof int>),
});
export type DeliveryList = z.infer<typeof deliveryListResponseSchema>;

/** A delivery with its event and every attempt. */
export const deliveryDetailSchema = deliveryRowSchema.extend({
  event: z.object({ id: int, type: z.string(), payload: z.unknown(), created_at: isoDateTime, trace_id: z.string() }),
  attempt_log: z.array(
    z.object({
      attempt_number: int,
      trigger: z.string(),
      url: z.string().nullable(),
      started_at: isoDateTime,
      duration_ms: int.nullable(),
      status_code: int.nullable(),
      response_excerpt: z.string().nullable(),
      error: z.string().nullable(),
      next_attempt_at: isoDateTime.nullable(),
    }),
  ),
});
export type DeliveryDetail = z.infer<typeof deliveryDetailSchema>;
/** GET /api/admin/deliveries/{id}, POST …/retry and …/cancel. */
export const deliveryResponseSchema = z.object({ delivery: deliveryDetailSchema });

/** An event source (lib/events/sources/service.ts `serializeEventSource`): the auth header only redacted. */
export const eventSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  cursor_param: z.string(),
  limit: int,
  /** Remote type → local catalogue type. */
  type_mapping: z.record(z.string(), z.string()),
  auth_header: z.string().nullable(),
  has_auth_header: z.boolean(),
  interval_seconds: int,
  active: z.boolean(),
  cursor: z.string().nullable(),
  last_polled_at: isoDateTime.nullable(),
  last_status: z.string().nullable(),
  last_error: z.string().nullable(),
  next_poll_at: isoDateTime.nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type EventSource = z.infer<typeof eventSourceSchema>;
/** A source with its inbound events counted by status (list and GET …/{id}). */
export const eventSourceRowSchema = eventSourceSchema.extend({ events: z.record(z.string(), int) });
export type EventSourceRow = z.infer<typeof eventSourceRowSchema>;

/** GET /api/admin/event-sources. */
export const eventSourceListResponseSchema = z.object({ sources: z.array(eventSourceRowSchema) });
export type EventSourceListResponse = z.infer<typeof eventSourceListResponseSchema>;
/** GET /api/admin/event-sources/{id}. */
export const eventSourceDetailResponseSchema = z.object({ source: eventSourceRowSchema });
/** POST /api/admin/event-sources (201) and PATCH …/{id}. */
export const eventSourceResponseSchema = z.object({ source: eventSourceSchema });

/** GET /api/admin/events: the event log, newest first. */
export const eventLogResponseSchema = z.object({
  events: z.array(eventEnvelopeSchema),
  /** Pass as `before_id` for the next (older) page; null when there is none. */
  next_before_id: int.nullable(),
});
export type EventLogPage = z.infer<typeof eventLogResponseSchema>;

/** An inbound event (lib/events/sources/process.ts `serializeInboundEvent`). */
export const inboundEventSchema = z.object({
  id: int,
  source_id: z.string(),
  source_name: z.string().nullable(),
  source_event_id: z.string(),
  type: z.string(),
  mapped_type: z.string().nullable(),
  status: z.enum(["pending", "processed", "failed", "ignored"]),
  error: z.string().nullable(),
  payload: z.unknown(),
  received_at: isoDateTime,
  processed_at: isoDateTime.nullable(),
});
export type InboundEventRow = z.infer<typeof inboundEventSchema>;

/** GET /api/webhooks/events. */
export const inboundEventsResponseSchema = z.object({
  events: z.array(inboundEventSchema),
  has_more: z.boolean(),
  /** Pass as `before` for the next (older) page; null in `after` mode or at the end. */
  next_before: int.nullable(),
  /** Pass as `after` for the next (newer) page; null unless paging with `after`. */
  next_after: int.nullable(),
});
export type InboundEventsPage = z.infer<typeof inboundEventsResponseSchema>;
/** POST /api/webhooks/events/{id}/reprocess: the event after handling it again. */
export const inboundReprocessResponseSchema = z.object({ success: z.literal(true), event: inboundEventSchema });
export type InboundReprocessResponse = z.infer<typeof inboundReprocessResponseSchema>;

/** A worker process's heartbeat. */
const workerBeatSchema = z.object({
  id: z.string(),
  heartbeat_at: isoDateTime,
  heartbeat_age_seconds: z.number(),
  started_at: isoDateTime,
});

/** This process's event bus (lib/events/start.ts `EventBusStatus`); null when it was not started. */
export const eventBusStatusSchema = z.object({
  process: z.enum(["web", "worker"]),
  outbox: z.boolean(),
  cache_invalidation: z.boolean(),
  redis: z.object({
    state: z.enum(["off", "connecting", "connected", "reconnecting", "retrying", "stopped"]),
    /** Failed start attempts since the last success. */
    failed_attempts: int,
    last_error: z.string().nullable(),
    fanout: z
      .object({
        instance_id: z.string(),
        channel: z.string(),
        sent: int,
        received: int,
        ignored_own: int,
        dropped: int,
        send_errors: int,
        publisher_status: z.string(),
        subscriber_status: z.string(),
      })
      .nullable(),
  }),
});

/** GET /api/admin/event-system/status (lib/events/delivery/status.ts): worker, relay, queue, failures, jobs, bus. */
export const eventSystemStatusResponseSchema = z.object({
  /** The freshest heartbeat; null when no worker ever ran. */
  worker: workerBeatSchema.nullable(),
  workers: z.array(workerBeatSchema.extend({ alive: z.boolean() })),
  relay: z.object({ position: int, latest_event_id: int, lag_events: int, lag_seconds: int }),
  deliveries: z.object({
    /** Deliveries counted by status (statuses with none are absent). */
    queue: z.record(z.string(), int),
    oldest_due_seconds: int,
    completed_last_10_min: int,
    per_minute_last_10_min: z.array(int),
    per_minute_average: z.number(),
  }),
  failures: z.object({ last_hour: int, per_hour_last_24_h: z.array(int) }),
  jobs: z.array(
    z.object({
      name: z.string(),
      enabled: z.boolean(),
      next_run_at: isoDateTime,
      last_status: z.string().nullable(),
      last_finished_at: isoDateTime.nullable(),
      running: z.boolean(),
    }),
  ),
  bus: eventBusStatusSchema.nullable(),
  generated_at: isoDateTime,
});
export type EventSystemStatus = z.infer<typeof eventSystemStatusResponseSchema>;

/** One source's poll (lib/events/sources/poll.ts `PollSummary`). */
export const pollSummarySchema = z.object({
  source_id: z.string(),
  name: z.string(),
  status: z.enum(["ok", "http_error", "timeout", "network_error", "invalid_response", "error", "busy"]),
  error: z.string().nullable(),
  pages: int,
  /** Events the feed served (valid ones), new or not. */
  received: int,
  duplicates: int,
  processed: int,
  failed: int,
  ignored: int,
  /** Events without an id or type, skipped. */
  invalid: int,
  cursor: z.string().nullable(),
  has_more: z.boolean(),
});
/** POST /api/webhooks/poll-events: every active source (or the one asked for) polled now. */
export const pollNowResponseSchema = z.object({
  success: z.literal(true),
  polled: int,
  sources: z.array(pollSummarySchema),
  totals: z.object({ received: int, duplicates: int, processed: int, failed: int, ignored: int, errors: int }),
});
export type PollNowResponse = z.infer<typeof pollNowResponseSchema>;
