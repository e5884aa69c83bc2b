import { payloadTooLarge } from "@/lib/http/errors";

/** SPEC §3 and the legacy MAX_CONTENT_LENGTH: 16 MB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Refuses early on a declared oversize body (before reading it). */
export function assertDeclaredSize(req: Request): void {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw payloadTooLarge();
}

/** Reads the body as text, stopping at the limit even when no Content-Length was sent. */
export async function readBodyText(req: Request): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/** The raw body, bounded the same way (multipart uploads parse it themselves). */
export async function readBodyBytes(req: Request): Promise<Buffer> {
  assertDeclaredSize(req);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
