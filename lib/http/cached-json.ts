import { createHash } from "node:crypto";
import { invalidateMemos, memoByDataVersion } from "@/lib/db/data-version";

/**
 * A large JSON read that many clients poll (`/api/data`: every tablet and ApexAPI), prepared once
 * per database version: encoded bytes and a strong ETag, so a repeated poll costs a 304 or a
 * memcpy — never a query or a re-encode. Compression is left to the HTTP layer (nginx in
 * deploy/): a handler that gzips by itself gets its body mangled by `next start`'s own handling.
 *
 * A value that also depends on the clock (`days_in_stage`) says until when it holds
 * (`cachedExpiringJsonResponse`): past that instant the bytes are prepared again even though the
 * database did not change.
 */
interface Prepared {
  body: Buffer;
  etag: string;
  /** Epoch ms after which the body is stale; null = only a database change makes it stale. */
  validUntil: number | null;
}

export interface Expiring<T> {
  value: T;
  validUntil: Date | null;
}

export function cachedJsonResponse(req: Request, key: string, compute: () => Promise<unknown>): Promise<Response> {
  return cachedExpiringJsonResponse(req, key, async () => ({ value: await compute(), validUntil: null }));
}

export async function cachedExpiringJsonResponse(req: Request, key: string, compute: () => Promise<Expiring<unknown>>): Promise<Response> {
  const memoKey = `json:${key}`;
  const prepare = async (): Promise<Prepared> => {
    const { value, validUntil } = await compute();
    const body = Buffer.from(JSON.stringify(value));
    return { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"`, validUntil: validUntil?.getTime() ?? null };
  };
  let prepared = await memoByDataVersion<Prepared>(memoKey, prepare);
  if (prepared.validUntil !== null && Date.now() >= prepared.validUntil) {
    invalidateMemos([memoKey]);
    prepared = await memoByDataVersion<Prepared>(memoKey, prepare);
  }
  const headers = { "content-type": "application/json", "cache-control": "no-cache", etag: prepared.etag };
  const ifNoneMatch = req.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === prepared.etag || t.trim() === `W/${prepared.etag}`)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(new Uint8Array(prepared.body), { headers });
}
