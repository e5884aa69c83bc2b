import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { ApiError, badRequest, conflict } from "@/lib/http/errors";
import { config } from "@/lib/config/env";

/**
 * Idempotency-Key (SPEC §3): the first request with a key runs and its response is stored; a retry
 * with the same key and the same request gets that response back and changes nothing; the same key
 * with a different request is a 409. Records live IDEMPOTENCY_TTL_HOURS (default 7 days): a tablet
 * replays its offline queue with the keys it made, possibly days later, and a key forgotten by then
 * would apply a change twice. `mutate` marks the record in its own transaction (status_code 0 =
 * "change committed"), so a crash between commit and storing the response is told apart from a
 * request that never ran.
 *
 * The 409s that mean "not now" or "not like this" carry their own codes, so a device can tell them
 * from a business conflict: `request_in_progress` (same key still running: retry later, with
 * Retry-After), `idempotency_key_reused` (same key, different request: a client bug),
 * `idempotent_response_lost` (the change was applied; its response was not stored).
 */

/** How long a key is remembered, from IDEMPOTENCY_TTL_HOURS (checked by lib/config/env.ts). */
export function idempotencyTtlMs(hours = config().IDEMPOTENCY_TTL_HOURS): number {
  return hours * 60 * 60 * 1000;
}
const IN_FLIGHT_GRACE_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function requestHash(method: string, path: string, bodyText: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${bodyText}`).digest("hex");
}

export type IdempotencyStart = { kind: "run"; recordId: string } | { kind: "replay"; response: Response };

export async function startIdempotent(
  principal: string,
  key: string,
  method: string,
  path: string,
  hash: string,
): Promise<IdempotencyStart> {
  if (!KEY_PATTERN.test(key))
    throw badRequest("Idempotency-Key must be 1–255 visible ASCII characters", undefined, "invalid_idempotency_key");
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await db.idempotencyRecord.findUnique({ where: { principal_key: { principal, key } } });
    if (!existing) {
      try {
        // One clock reading for both: the record lives exactly the TTL.
        const now = Date.now();
        const created = await db.idempotencyRecord.create({
          data: {
            principal,
            key,
            method,
            path,
            request_hash: hash,
            created_at: new Date(now),
            expires_at: new Date(now + idempotencyTtlMs()),
          },
        });
        return { kind: "run", recordId: created.id };
      } catch (err) {
        if ((err as { code?: string }).code === "P2002") continue; // a concurrent twin won the insert
        throw err;
      }
    }
    if (existing.expires_at.getTime() < Date.now()) {
      await db.idempotencyRecord.delete({ where: { id: existing.id } }).catch(() => undefined);
      continue;
    }
    if (existing.request_hash !== hash) {
      throw conflict("Idempotency-Key was already used for a different request", { key }, "idempotency_key_reused");
    }
    if (existing.status_code && existing.status_code > 0 && existing.response_body !== null) {
      return {
        kind: "replay",
        response: new Response(existing.response_body, {
          status: existing.status_code,
          headers: { "content-type": "application/json", "idempotent-replayed": "true", "cache-control": "no-store" },
        }),
      };
    }
    const age = Date.now() - existing.created_at.getTime();
    if (age < IN_FLIGHT_GRACE_MS) {
      throw new ApiError(409, "request_in_progress", "A request with this Idempotency-Key is still being processed", { key }, undefined, {
        "Retry-After": "1",
      });
    }
    if (existing.status_code === 0) {
      throw conflict("The request with this Idempotency-Key was applied, but its response was lost", { key }, "idempotent_response_lost");
    }
    // Never committed and long abandoned (the process died before its transaction): run again.
    await db.idempotencyRecord.delete({ where: { id: existing.id } }).catch(() => undefined);
  }
  throw conflict("Could not reserve the Idempotency-Key; retry", { key }, "request_in_progress");
}

export async function finishIdempotent(recordId: string, status: number, body: string): Promise<void> {
  if (status >= 500) {
    // A server error changed nothing (its transaction rolled back): let the retry run.
    await db.idempotencyRecord.deleteMany({ where: { id: recordId, status_code: null } });
    return;
  }
  await db.idempotencyRecord.update({
    where: { id: recordId },
    data: { status_code: status, response_body: body, completed_at: new Date() },
  });
}
