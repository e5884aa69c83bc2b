import { createHash } from "node:crypto";
import { memoByDataVersion } from "@/lib/db/data-version";

/**
 * A large JSON read that many clients poll (`/api/data`: every tablet and ApexAPI), prepared once
 * per database version: encoded bytes and a strong ETag, so a repeated poll costs a 304 or a
 * memcpy — never a query or a re-encode. Compression is left to the HTTP layer (nginx in
 * deploy/): a handler that gzips by itself gets its body mangled by `next start`'s own handling.
 */
interface Prepared {
  body: Buffer;
  etag: string;
}

export async function cachedJsonResponse(req: Request, key: string, compute: () => Promise<unknown>): Promise<Response> {
  const prepared = await memoByDataVersion<Prepared>(`json:${key}`, async () => {
    const body = Buffer.from(JSON.stringify(await compute()));
    return { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
  });
  const headers = { "content-type": "application/json", "cache-control": "no-cache", etag: prepared.etag };
  const ifNoneMatch = req.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === prepared.etag || t.trim() === `W/${prepared.etag}`)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(new Uint8Array(prepared.body), { headers });
}
