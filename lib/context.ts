import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** Who is acting and under which trace: carried onto audit rows, events and log lines. */
export interface ActorContext {
  /** Human-readable actor: a username, `api-key:<name>`, `worker`, `system`. */
  actor: string;
  traceId: string;
  /** Where the change came from: web | api | worker | cli | system. */
  source: string;
}

export interface RequestScope extends ActorContext {
  /** Set while an Idempotency-Key request runs; `mutate` marks it committed in its transaction. */
  idempotencyRecordId?: string;
}

/** Per-request scope, so deep code (logs, `mutate`) sees the trace without threading it through. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

export function newTraceId(): string {
  return randomUUID().replace(/-/g, "");
}

export function systemContext(actor = "system", source = "system"): ActorContext {
  return { actor, source, traceId: newTraceId() };
}
