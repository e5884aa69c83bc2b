import { route, withETag } from "@/lib/http/route";
import { finishedGoodsLastUpdated } from "@/lib/domain/finished-goods/last-updated";

/** `{"timestamp"}` of the newest finished-goods history row; ETag + 304 for pollers. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer" }, async ({ req }) => {
  const { timestamp, etag } = await finishedGoodsLastUpdated();
  return withETag(req, etag, () => ({ timestamp }));
});
