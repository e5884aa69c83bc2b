import type { Logger } from "pino";
import { logger } from "@/lib/log";

/**
 * The one log line route() writes per API request: method, route pattern, status, duration_ms,
 * plus traceId and actor from the request scope (lib/log.ts mixin). Level by status: 5xx error,
 * 4xx warn, 304 debug (every tablet and ApexAPI poll last-updated endpoints every few seconds:
 * "nothing changed" at info would bury everything else), else info.
 */
export interface RequestLine {
  method: string;
  /** The route's pattern (`/api/batch/[id]/counts`), so lines group by endpoint, not by id. */
  route: string;
  status: number;
  duration_ms: number;
}

let target: Logger = logger;

/** Sends request lines elsewhere (tests capture them); null restores the app logger. */
export function setRequestLogger(next: Logger | null): void {
  target = next ?? logger;
}

export function logRequest(line: RequestLine): void {
  if (line.status >= 500) target.error(line, "request failed");
  else if (line.status >= 400) target.warn(line, "request refused");
  else if (line.status === 304) target.debug(line, "request not modified");
  else target.info(line, "request");
}

/**
 * The pattern of a request path given the route's params: `/api/batch/42/counts` with {id: "42"}
 * → `/api/batch/[id]/counts`; a catch-all param becomes `[...name]`. Params replace path segments
 * left to right, in the route's order.
 */
export function routePattern(pathname: string, params: Record<string, string | string[]> | undefined): string {
  if (!params) return pathname;
  const segments = pathname.split("/");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  let from = 1;
  for (const [name, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) continue;
    for (let i = from; i + values.length <= segments.length; i++) {
      if (values.every((v, k) => decode(segments[i + k]) === v)) {
        segments.splice(i, values.length, Array.isArray(value) ? `[...${name}]` : `[${name}]`);
        from = i + 1;
        break;
      }
    }
  }
  return segments.join("/");
}
