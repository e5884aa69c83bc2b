import diagnostics from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { Agent, type Dispatcher } from "undici";

/**
 * Outgoing webhook POSTs through undici's keep-alive pools (one per origin), so a busy subscriber
 * costs one TCP (and TLS) handshake per connection rather than per delivery. undici's bare
 * `dispatch()` with the handler below costs about half the CPU of node:http per request (no
 * ClientRequest/IncomingMessage streams, no per-request header objects beyond the response's),
 * and a fraction of `fetch`'s, which is what bounds delivery throughput on a small box.
 * Redirects are never followed (`dispatch` has no redirect logic), as SPEC §8 asks.
 */

/** Connections per origin; the delivery loop's concurrency stays below it. */
export const MAX_SOCKETS_PER_ORIGIN = 256;
/** Idle connections are closed before the usual 5 s server keep-alive timeout can race a reuse. */
const FREE_SOCKET_TIMEOUT_MS = 4_000;
/** Bytes of the response body kept (the attempt log shows 1 KB); the rest is read and dropped. */
const BODY_LIMIT = 1024 + 4;

const agent = new Agent({
  // undici checks an idle connection for a close on the next turn before reusing it and opens
  // another meanwhile: up to ~2× the requests in flight, never more than this.
  connections: MAX_SOCKETS_PER_ORIGIN,
  pipelining: 1,
  keepAliveTimeout: FREE_SOCKET_TIMEOUT_MS,
  keepAliveMaxTimeout: FREE_SOCKET_TIMEOUT_MS,
  // The caller's timeout covers the whole exchange (below); undici's own would only add timers.
  headersTimeout: 0,
  bodyTimeout: 0,
});

export interface PostResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The start of the body (up to ~1 KB), decoded as UTF-8. */
  text: string;
}

export class PostTimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Whether a request went out on a connection that had carried one before (Node's
 * `req.reusedSocket`): undici writes a request synchronously right after calling the handler's
 * `onRequestStart` and publishes `sendHeaders` with the socket in between, so the handler that
 * just started is the one this socket carries. (Node's own fetch publishes on this channel too:
 * its sockets only get the mark.)
 */
const kUsed = Symbol("preroll.socketUsed");
let starting: PostHandler | null = null;
diagnostics.subscribe("undici:client:sendHeaders", (message) => {
  const socket = (message as { socket: Socket & { [kUsed]?: boolean } }).socket;
  if (starting) {
    starting.reused = socket[kUsed] === true;
    starting = null;
  }
  socket[kUsed] = true;
});
const noteStarting = (handler: PostHandler) => void (starting = handler);

type Settle = (err: (Error & { reused?: boolean }) | null, res?: PostResponse) => void;

class PostHandler implements Dispatcher.DispatchHandler {
  reused = false;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: PostResponse["headers"] = {};
  private chunks: Buffer[] = [];
  private kept = 0;
  private done = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly settle: Settle,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.timeout(timeoutMs), timeoutMs);
  }

  private timeout(timeoutMs: number) {
    const err = new PostTimeoutError(`Timed out after ${timeoutMs} ms`);
    // Still queued for a connection: answer now; onRequestStart drops it when its turn comes.
    if (this.controller) this.controller.abort(err);
    else this.finish(err);
  }

  private finish(err: Error | null, res?: PostResponse) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    // Only a request that got no answer at all may be sent again.
    if (err) (err as Error & { reused?: boolean }).reused = this.reused && this.status === 0;
    this.settle(err, res);
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    if (this.done) return controller.abort(new PostTimeoutError("Timed out while queued"));
    this.controller = controller;
    noteStarting(this);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>) {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer) {
    if (this.kept >= BODY_LIMIT) return;
    this.chunks.push(chunk);
    this.kept += chunk.length;
  }

  onResponseEnd() {
    const text = (this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)).subarray(0, BODY_LIMIT).toString("utf8");
    this.finish(null, { status: this.status, headers: this.headers, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error) {
    this.finish(err);
  }
}

/**
 * Header names lower-cased, a later one winning (node:http's setHeader did this, so a configured
 * "User-Agent" never went out beside ours). Framing headers are the client's: undici refuses
 * these (or, for content-length, checks it against the body), node:http let them garble the request.
 */
const FRAMING = new Set(["content-length", "transfer-encoding", "keep-alive", "upgrade", "expect"]);
function requestHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) {
    const name = key.toLowerCase();
    if (!FRAMING.has(name)) out[name] = headers[key]!;
  }
  return out;
}

function postOnce(url: URL, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostResponse> {
  return new Promise((resolve, reject) => {
    const handler = new PostHandler((err, res) => (err ? reject(err) : resolve(res!)), timeoutMs);
    agent.dispatch({ origin: url.origin, path: url.pathname + url.search, method: "POST", headers, body }, handler);
  });
}

/**
 * POSTs `body` and reads the response. A request that fails on a reused keep-alive connection
 * before any answer (the server closed it as we sent) is sent once more, on another connection:
 * Node's documented pattern, and receivers de-duplicate on `webhook-id` anyway. undici does not
 * retry a POST itself (not idempotent): it fails it with "other side closed" (UND_ERR_SOCKET).
 */
export async function postBody(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResponse> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") throw new Error(`Unsupported protocol ${target.protocol}`);
  const bytes = Buffer.from(body, "utf8");
  headers = requestHeaders(headers);
  const deadline = Date.now() + timeoutMs;
  try {
    return await postOnce(target, headers, bytes, timeoutMs);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reused?: boolean };
    const stale = e.reused && (e.code === "UND_ERR_SOCKET" || e.code === "ECONNRESET" || e.code === "EPIPE" || e.code === "ECONNABORTED");
    const left = deadline - Date.now();
    if (!stale || left <= 0) throw err;
    return await postOnce(target, headers, bytes, left);
  }
}

/** A header's value as one string (repeated headers come as arrays). */
export function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
