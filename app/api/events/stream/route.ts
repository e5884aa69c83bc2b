import { z } from "zod";
import { route } from "@/lib/http/route";
import { badRequest } from "@/lib/http/errors";
import { eventIdParam, typeGlobsParam } from "@/lib/events/feed";
import { openEventStream } from "@/lib/events/sse";

const streamQuery = z.strictObject({ after: eventIdParam.optional(), type: typeGlobsParam });

/**
 * Server-sent events (SPEC §4.3): the backlog after the cursor, then live events, each as
 * `id: <event id>\nevent: <type>\ndata: <envelope JSON>`; `: ping` heartbeats. The cursor is the
 * `Last-Event-ID` header (EventSource sends it on reconnect, so it wins over the URL's `after`),
 * else `?after=`; with neither the stream starts at the newest event (live only). `type` filters
 * by glob as in the feed. The Response returns at once; lib/events/sse.ts does the rest.
 */
export const GET = route({ auth: "key|session", role: "viewer", query: streamQuery }, ({ req, query }) => {
  let after = query.after;
  const header = req.headers.get("last-event-id");
  if (header !== null && header.trim() !== "") {
    const parsed = eventIdParam.safeParse(header.trim());
    if (!parsed.success) {
      throw badRequest(
        "Invalid Last-Event-ID header",
        { location: "headers", fields: { "last-event-id": ["Expected an event id (a non-negative integer)"] } },
        "validation_failed",
      );
    }
    after = parsed.data;
  }
  return openEventStream({ after, filter: query.type, signal: req.signal });
});
