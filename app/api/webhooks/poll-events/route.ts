import { z } from "zod";
import { route } from "@/lib/http/route";
import { pollNow } from "@/lib/events/sources/poll";
import { pollNowResponseSchema } from "@/lib/events/admin-response";

const body = z.strictObject({ source_id: z.string().trim().min(1).max(100).optional() });

/**
 * Polls every active event source now (or only `source_id`) and answers per source:
 * `{success, polled, sources: [{source_id, name, status, error, pages, received, duplicates,
 * processed, failed, ignored, invalid, cursor, has_more}], totals}`. A remote failure is a
 * source's `status`/`error`, not an error response.
 */
export const POST = route({ response: pollNowResponseSchema, auth: "key|session", role: "operator", body }, async ({ body, ctx }) =>
  pollNow(ctx, body.source_id),
);
