import { route, withETag } from "@/lib/http/route";
import { wholesaleFingerprint } from "@/lib/domain/wholesale/last-updated";
import { wholesaleLastUpdatedResponseSchema } from "@/lib/domain/wholesale/wholesale-response";

/** `{"fingerprint": "{latest_hold_ts}|{latest_fg_history_ts}|{hold_count}"}`; ETag + 304 for pollers. */
export const GET = route(
  { response: wholesaleLastUpdatedResponseSchema, etag: true, contract: true, auth: "session", role: "viewer" },
  async ({ req }) => {
    const { fingerprint, etag } = await wholesaleFingerprint();
    return withETag(req, etag, () => ({ fingerprint }));
  },
);
