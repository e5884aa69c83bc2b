import { route } from "@/lib/http/route";
import { feedQuery, readFeed } from "@/lib/events/feed";
import { eventFeedResponseSchema } from "@/lib/events/envelope-schema";

/**
 * The cursor feed (SPEC §4.3, seed 003): `?after=ID&limit=N&type=GLOB[,GLOB…]` →
 * `{"events": [envelope…], "lastEventId": <last returned id, or after>, "hasMore": bool}`, in id
 * order. Poll with `after=lastEventId` until `hasMore` is false. Why the cursor never skips an
 * event (and what PostgreSQL will need): lib/events/feed.ts.
 */
export const GET = route(
  { response: eventFeedResponseSchema, auth: "key|session", role: "viewer", query: feedQuery },
  async ({ query }) => {
    const page = await readFeed({ after: query.after, limit: query.limit, filter: query.type });
    return { events: page.events, lastEventId: page.lastEventId, hasMore: page.hasMore };
  },
);
