import { route, withETag } from "@/lib/http/route";
import { finishedGoodsLastUpdated } from "@/lib/domain/finished-goods/last-updated";
import { lastUpdatedResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{"timestamp"}` of the newest finished-goods history row; ETag + 304 for pollers. */
export const GET = route(
  { response: lastUpdatedResponseSchema, etag: true, contract: true, auth: "key|session", role: "viewer" },
  async ({ req }) => {
    const { timestamp, etag } = await finishedGoodsLastUpdated();
    return withETag(req, etag, () => ({ timestamp }));
  },
);
