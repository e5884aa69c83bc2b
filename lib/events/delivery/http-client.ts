import http from "node:http";
import https from "node:https";

/**
 * Outgoing webhook POSTs over a keep-alive connection pool (one per process and protocol), so a
 * busy subscriber costs one TCP (and TLS) handshake per connection rather than per delivery. Node's
 * `fetch` pools too, but costs several times more CPU per request, which is what bounds delivery
 * throughput on a small box. Redirects are never followed (node:http does not), as SPEC §8 asks.
 */

/** Connections per origin; the delivery loop's concurrency stays below it. */
export const MAX_SOCKETS_PER_ORIGIN = 256;
/** Idle connections are closed before the usual 5 s server keep-alive timeout can race a reuse. */
const FREE_SOCKET_TIMEOUT_MS = 4_000;
/** Bytes of the response body kept (the attempt log shows 1 KB); the rest is read and dropped. */
const BODY_LIMIT = 1024 + 4;

const agentOptions = {
  keepAlive: true,
  maxSockets: MAX_SOCKETS_PER_ORIGIN,
  maxFreeSockets: MAX_SOCKETS_PER_ORIGIN,
  timeout: FREE_SOCKET_TIMEOUT_MS,
  scheduling: "lifo" as const,
};
const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

export interface PostResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The start of the body (up to ~1 KB), decoded as UTF-8. */
  text: string;
}

export class PostTimeoutError extends Error {
  override name = "TimeoutError";
}

function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
): Promise<{ res: PostResponse; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) return reject(new Error(`Unsupported protocol ${url.protocol}`));
    let settled = false;
    const req = transport.request(url, { method: "POST", agent, headers: { ...headers, "content-length": String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on("data", (chunk: Buffer) => {
        if (kept >= BODY_LIMIT) return;
        chunks.push(chunk);
        kept += chunk.length;
      });
      res.on("end", () => {
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8");
        resolve({ res: { status: res.statusCode ?? 0, headers: res.headers, text }, reused: req.reusedSocket });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => req.destroy(new PostTimeoutError(`Timed out after ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      (err as Error & { reused?: boolean }).reused = req.reusedSocket;
      reject(err);
    }
    req.on("error", fail);
    req.end(body);
  });
}

/**
 * POSTs `body` and reads the response. A request that fails on a reused keep-alive connection
 * before any answer (the server closed it as we sent) is sent once more on a fresh connection:
 * Node's documented pattern, and receivers de-duplicate on `webhook-id` anyway.
 */
export async function postBody(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResponse> {
  const target = new URL(url);
  const bytes = Buffer.from(body, "utf8");
  const deadline = Date.now() + timeoutMs;
  try {
    return (await postOnce(target, headers, bytes, timeoutMs)).res;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reused?: boolean };
    const stale = e.reused && (e.code === "ECONNRESET" || e.code === "EPIPE" || e.code === "ECONNABORTED");
    const left = deadline - Date.now();
    if (!stale || left <= 0) throw err;
    return (await postOnce(target, headers, bytes, left)).res;
  }
}

/** A header's value as one string (Node gives arrays for repeated headers). */
export function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
