import { route } from "@/lib/http/route";
import { productionHistory, productionHistoryQuery } from "@/lib/domain/batches/production-history";
import { productionHistoryResponseSchema } from "@/lib/domain/batches/batch-response";

/** `?days=1..90` (default 7) → `{days, daily_production:[{date, total, 0_5, 0_7, 1_0}]}`, one row per day. */
export const GET = route(
  { response: productionHistoryResponseSchema, contract: true, auth: "key|session", role: "viewer", query: productionHistoryQuery },
  async ({ query }) => productionHistory(query.days),
);
