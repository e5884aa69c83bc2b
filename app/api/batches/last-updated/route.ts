import { route, withETag } from "@/lib/http/route";
import { lastAuditUpdate } from "@/lib/domain/audit/last-updated";
import { lastUpdatedResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{"timestamp"}` of the newest batch audit entry; ETag + 304 for pollers. */
export const GET = route(
  { response: lastUpdatedResponseSchema, etag: true, contract: true, auth: "key|session", role: "viewer" },
  async ({ req }) => {
    const { timestamp, etag } = await lastAuditUpdate("batch");
    return withETag(req, etag, () => ({ timestamp }));
  },
);
