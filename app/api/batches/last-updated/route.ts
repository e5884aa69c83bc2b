import { route, withETag } from "@/lib/http/route";
import { lastAuditUpdate } from "@/lib/domain/audit/last-updated";

/** `{"timestamp"}` of the newest batch audit entry; ETag + 304 for pollers. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer" }, async ({ req }) => {
  const { timestamp, etag } = await lastAuditUpdate("batch");
  return withETag(req, etag, () => ({ timestamp }));
});
