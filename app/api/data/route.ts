import { z } from "zod";
import { route } from "@/lib/http/route";
import { queryBool } from "@/lib/http/params";
import { listBatchesResponse } from "@/lib/domain/batches/list-batches";

/** Active batches, a JSON array (contract). `rate_history` only with `include_history=true`. */
export const GET = route(
  { contract: true, auth: "key|session", role: "viewer", query: z.strictObject({ include_history: queryBool() }) },
  ({ req, query }) => listBatchesResponse(req, { archived: false, includeHistory: query.include_history }),
);

