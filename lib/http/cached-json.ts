import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { memoByDataVersion } from "@/lib/db/data-version";

/**
 * A large JSON read that many clients poll (`/api/data`: every tablet and ApexAPI), prepared once
 * per database version: encoded bytes, a gzip copy (Next does not compress route handlers) and a
 * strong ETag, so a repeated poll costs a 304 or a memcpy — never a query or a re-encode.
 */
interface Prepared {
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
}

const GZIP_MIN_BYTES = 1024;

export async function cachedJsonResponse(req: Request, key: string, compute: () => Promise<unknown>): Promise<Response> {
  const prepared = await memoByDataVersion<Prepared>(`json:${key}`, async () => {
    const body = Buffer.from(JSON.stringify(await compute()));
    return {
      body,
      gzip: body.length >= GZIP_MIN_BYTES ? gzipSync(body, { level: 6 }) : null,
      etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
    };
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "cache-control": "no-cache",
    etag: prepared.etag,
    vary: "Accept-Encoding",
  };
  const ifNoneMatch = req.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === prepared.etag || t.trim() === `W/${prepared.etag}`)) {
    return new Response(null, { status: 304, headers });
  }
  if (prepared.gzip && /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    return new Response(new Uint8Array(prepared.gzip), { headers: { ...headers, "content-encoding": "gzip" } });
  }
  return new Response(new Uint8Array(prepared.body), { headers });
}
