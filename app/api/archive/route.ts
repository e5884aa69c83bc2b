import { z } from "zod";
import { route } from "@/lib/http/route";
import { queryBool } from "@/lib/http/params";
import { listBatchesResponse } from "@/lib/domain/batches/list-batches";

/** Archived batches, same shape as /api/data. */
export const GET = route(
  { contract: true, auth: "key|session", role: "viewer", query: z.strictObject({ include_history: queryBool() }) },
  ({ req, query }) => listBatchesResponse(req, { archived: true, includeHistory: query.include_history }),
);
