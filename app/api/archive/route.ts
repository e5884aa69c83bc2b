import { z } from "zod";
import { route } from "@/lib/http/route";
import { queryBool } from "@/lib/http/params";
import { cachedExpiringJsonResponse } from "@/lib/http/cached-json";
import { batchListKey, listBatches } from "@/lib/domain/batches/list-batches";
import { batchListSchema } from "@/lib/domain/batches/batch-response";

/** Archived batches, same shape as /api/data. */
export const GET = route(
  {
    response: batchListSchema,
    etag: true,
    contract: true,
    auth: "key|session",
    role: "viewer",
    query: z.strictObject({ include_history: queryBool() }),
  },
  ({ req, query }) => {
    const options = { archived: true, includeHistory: query.include_history };
    return cachedExpiringJsonResponse(req, batchListKey(options), async () => {
      const { batches, validUntil } = await listBatches(options);
      return { value: batches, validUntil };
    });
  },
);
