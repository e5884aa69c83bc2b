import { db as defaultDb, isPostgresClient, type Db, type Tx } from "@/lib/db/client";
import { serviceUnavailable } from "@/lib/http/errors";
import { diffFields } from "@/lib/db/audit";
import { requestScope, type ActorContext } from "@/lib/context";
import { parseEventPayload, type EventEnvelope, type EventPayload, type EventType } from "@/lib/events/catalogue";
import { notifyCommitted } from "@/lib/events/outbox";
import { CHANGES_CHANNEL, noteLocalCommit, noteLocalCommitting } from "@/lib/db/pg-changes";

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
 * PostgreSQL write lock (issue [12]): every writing transaction takes this advisory lock first, so
 * writers run one at a time as on SQLite (BEGIN IMMEDIATE). Event ids are then drawn in commit
 * order, and PostgreSQL makes a commit visible before it releases the lock, so no reader sees id
 * N+1 before id N and a feed cursor never skips. Any fixed number works ("PRT1"); it must equal
 * the key in prisma/postgres/migrations/*_events_write_order (the trigger backstop on `events`).
 */
export const WRITE_LOCK_KEY = 0x50525431;
/**
 * How long a writer waits for the lock before answering 503: far below the 30 s transaction
 * timeout (a write holds the lock for milliseconds; a 10 s wait means something is stuck).
 */
export const WRITE_LOCK_TIMEOUT_MS = 10_000;
export const WRITE_LOCK_RETRY_AFTER_S = 2;

let writeLockEnabled = true;
/** Test-only: the gap test's negative control turns the lock off to show the cursor then skips. */
export function setWriteLockEnabledForTests(on: boolean): void {
  writeLockEnabled = on;
}

async function takeWriteLock(tx: Tx, lockTimeoutMs: number): Promise<void> {
  // SET takes no bind parameters; the value is an integer we computed.
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${Math.max(1, Math.floor(lockTimeoutMs))}ms'`);
  // The setting tells the events trigger that this transaction already holds the lock and drew
  // its ids under it (the trigger then neither waits nor redraws the id).
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}), set_config('preroll.events_write_lock', 'held', true)`);
}

/**
 * PostgreSQL 55P03 lock_not_available: the pg adapter's DriverAdapterError carries the code, and
 * Prisma wraps that in a P2010 with `meta.driverAdapterError`.
 */
function isLockTimeout(err: unknown): boolean {
  type AdapterError = { cause?: { originalCode?: unknown } };
  const e = err as (AdapterError & { meta?: { driverAdapterError?: AdapterError } }) | null;
  return (e?.meta?.driverAdapterError?.cause?.originalCode ?? e?.cause?.originalCode) === "55P03";
}

/**
 * Runs one change as one transaction: the change itself, its audit rows and its event row(s)
 * commit together or not at all (SPEC §2). A mutation that emits no event is a programming
 * error and rolls back. After commit the new events are handed to in-process listeners.
 */
export async function mutate<T>(
  ctx: ActorContext,
  body: (m: Mutation) => Promise<T>,
  client: Db = defaultDb,
  options: { timeoutMs?: number; lockTimeoutMs?: number } = {},
): Promise<T> {
  const events: EventEnvelope[] = [];
  // 30 s fits every request; a one-off bulk change (the legacy import) may ask for more.
  const timeout = options.timeoutMs ?? 30_000;
  const lockTimeout = Math.min(options.lockTimeoutMs ?? WRITE_LOCK_TIMEOUT_MS, timeout / 2);
  const postgres = isPostgresClient(client);
  const run = client.$transaction(
    async (tx) => {
      if (postgres && writeLockEnabled) await takeWriteLock(tx, lockTimeout);
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
      // Every process's change listener (lib/db/pg-changes.ts) hears this on commit, in commit
      // order, and drops its memos / wakes its loops; a rollback sends nothing.
      if (postgres) {
        await tx.$executeRawUnsafe(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, String(events[events.length - 1].id));
        noteLocalCommitting(events[events.length - 1].id);
      }
      return value;
    },
    { timeout, maxWait: 30_000 },
  );
  const result = postgres
    ? await run.catch((err: unknown) => {
        if (!isLockTimeout(err)) throw err;
        throw serviceUnavailable("Too many changes at once, try again shortly", WRITE_LOCK_RETRY_AFTER_S, "write_lock_timeout");
      })
    : await run;
  if (postgres) noteLocalCommit();
  notifyCommitted(events);
  return result;
}
