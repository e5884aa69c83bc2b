/**
 * The device outbox (UI-GUIDE §4, SPEC §6): every floor mutation is stored on the device with its
 * Idempotency-Key before it is sent, sent strictly in `seq` order by one drainer across tabs, and
 * removed only when the server answered. These are the shapes every part of it shares.
 */

export type OutboxMethod = "POST" | "PUT" | "PATCH" | "DELETE";

export interface OutboxRequest {
  method: OutboxMethod;
  /** Same-origin path, e.g. `/api/batch/42/counts`. */
  path: string;
  /** JSON body; `undefined` sends none. */
  body?: unknown;
}

/** What the server said when it refused an entry (400/404/409/422…): shown in the conflicts list. */
export interface OutboxRejection {
  status: number;
  code: string | null;
  message: string;
  fields: Record<string, string[]>;
}

/**
 * `pending`: waits to be sent (or is being sent). `conflict`: the server refused it; later entries
 * of the same scope are held until it is discarded or retried.
 */
export type OutboxStatus = "pending" | "conflict";

export interface OutboxEntry {
  /** Order of creation across every tab (IndexedDB auto-increment). */
  seq: number;
  idempotency_key: string;
  /** The user who made it; it is only ever sent as that user. */
  user: string;
  /** What it is (`batch.counts`, `batch.stage`, …): the hook layer maps it to a label and effects. */
  kind: string;
  /** What it changes (`batch:<id>`, `inventory`, `board`): a conflict holds later entries of its scope. */
  scope: string;
  request: OutboxRequest;
  /** Whatever the hook layer needs to show the entry optimistically and to label it (JSON). */
  meta: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  rejection: OutboxRejection | null;
  created_at: number;
}

export interface OutboxSnapshot {
  /** The signed-in user the outbox serves; null before it knows. */
  user: string | null;
  /** This user's entries (pending and conflicts), in `seq` order. */
  entries: readonly OutboxEntry[];
  pending: number;
  conflicts: number;
  /** `auth`: the server answered 401/403; draining waits for a new sign-in as the same user. */
  paused: "auth" | null;
  /** When the drainer tries again after a network error / 5xx / 429 (epoch ms), else null. */
  retryAt: number | null;
  /** Last transient error (network, 5xx, 429), for the pending list. */
  lastError: string | null;
}

/** What one attempt at sending an entry came to (see classifyResponse). */
export type SendOutcome =
  | { kind: "applied"; body: unknown }
  | { kind: "rejected"; rejection: OutboxRejection }
  | { kind: "auth"; status: number }
  | { kind: "retry"; error: string; retryAfterMs: number | null };

/** What a caller hands to `DeviceOutbox.enqueue`; the outbox adds the rest (seq, key, user, status…). */
export type OutboxInput = Pick<OutboxEntry, "kind" | "scope" | "request" | "meta">;
