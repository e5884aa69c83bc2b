import { db as defaultDb, type Db, type Tx } from "@/lib/db/client";
import { diffFields } from "@/lib/db/audit";
import { requestScope, type ActorContext } from "@/lib/context";
import { parseEventPayload, type EventEnvelope, type EventPayload, type EventType } from "@/lib/events/catalogue";
import { notifyCommitted } from "@/lib/events/outbox";

export interface AuditEntry {
  entity: string;
  entityId: string;
  /** Human label shown beside the id (a batch's strain). */
  label?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What a mutation body gets: the transaction, and the two things every change must write. */
export interface Mutation {
  tx: Tx;
  ctx: ActorContext;
  /** One timestamp for the whole change, so audit rows and the event agree. */
  now: Date;
  /** Writes one AuditLog row per changed field; returns the number of rows written. */
  audit(entry: AuditEntry): Promise<number>;
  /** Writes an outbox event (validated against the catalogue) and returns its envelope. */
  emit<T extends EventType>(type: T, payload: EventPayload<T>): Promise<EventEnvelope<T, EventPayload<T>>>;
}

export class MutationWithoutEventError extends Error {}

/**
 * Runs one change as one transaction: the change itself, its audit rows and its event row(s)
 * commit together or not at all (SPEC §2). A mutation that emits no event is a programming
 * error and rolls back. After commit the new events are handed to in-process listeners.
 */
export async function mutate<T>(
  ctx: ActorContext,
  body: (m: Mutation) => Promise<T>,
  client: Db = defaultDb,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const events: EventEnvelope[] = [];
  const result = await client.$transaction(
    async (tx) => {
      const now = new Date();
      const m: Mutation = {
        tx,
        ctx,
        now,
        async audit(entry) {
          const changes = diffFields(entry.before, entry.after);
          if (changes.length === 0) return 0;
          await tx.auditLog.createMany({
            data: changes.map((c) => ({
              entity: entry.entity,
              entity_id: entry.entityId,
              label: entry.label ?? null,
              field: c.field,
              old: c.old,
              new: c.new,
              actor: ctx.actor,
              trace_id: ctx.traceId,
              at: now,
            })),
          });
          return changes.length;
        },
        async emit(type, payload) {
          const parsed = parseEventPayload(type, payload);
          const row = await tx.event.create({
            data: {
              type,
              payload: parsed as object,
              actor: ctx.actor,
              trace_id: ctx.traceId,
              source: ctx.source,
              created_at: now,
            },
          });
          const envelope = {
            id: row.id,
            type,
            payload: parsed,
            metadata: { timestamp: now.toISOString(), actor: ctx.actor, traceId: ctx.traceId, source: ctx.source },
          };
          events.push(envelope);
          return envelope;
        },
      };
      const value = await body(m);
      if (events.length === 0) {
        throw new MutationWithoutEventError("A mutation must emit at least one catalogued event");
      }
      // An Idempotency-Key request records, in this same transaction, that its change committed.
      const scope = requestScope.getStore();
      if (scope?.idempotencyRecordId) {
        await tx.idempotencyRecord.updateMany({
          where: { id: scope.idempotencyRecordId, status_code: null },
          data: { status_code: 0 },
        });
      }
      return value;
    },
    // 30 s fits every request; a one-off bulk change (the legacy import) may ask for more.
    { timeout: options.timeoutMs ?? 30_000, maxWait: 30_000 },
  );
  notifyCommitted(events);
  return result;
}
