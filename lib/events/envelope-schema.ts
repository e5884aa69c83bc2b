import { z } from "zod";

/**
 * The event envelope on the wire (SPEC §4): items of GET /api/events and the `data:` line of every
 * SSE message of GET /api/events/stream — the same JSON as in the database and in memory
 * (`EventEnvelope` of catalogue.ts, built by `toEnvelope` in outbox.ts). Imported by browser code:
 * zod only. `payload` depends on `type` (catalogue.ts has a schema per type; the server validates
 * every payload against it when the event is written), so it is left open here.
 * tests/integration/wire-contract.test.ts parses real feed items and SSE messages with these.
 */

export const eventMetadataSchema = z.object({
  /** When the event was written (ISO). */
  timestamp: z.iso.datetime(),
  /** Who caused it: a username, `api-key:<name>`, `worker` … */
  actor: z.string(),
  /** The request or job that wrote it; shared by every event of one change. */
  traceId: z.string(),
  /** Where the change came from: web, api, worker, import … */
  source: z.string(),
});

export const eventEnvelopeSchema = z.object({
  /** The cursor: increasing, never reused. */
  id: z.number().int(),
  /** A catalogue type, e.g. `batch.counts_changed`. */
  type: z.string(),
  payload: z.unknown(),
  metadata: eventMetadataSchema,
});
export type EventEnvelopeJson = z.infer<typeof eventEnvelopeSchema>;
export type EventEnvelope = EventEnvelopeJson;

/** GET /api/events?after=ID&limit=N&type=GLOB: poll with `after=lastEventId` until `hasMore` is false. */
export const eventFeedResponseSchema = z.object({
  events: z.array(eventEnvelopeSchema),
  /** Id of the last event returned, or `after` when none. */
  lastEventId: z.number().int(),
  hasMore: z.boolean(),
});
export type EventFeedResponse = z.infer<typeof eventFeedResponseSchema>;
