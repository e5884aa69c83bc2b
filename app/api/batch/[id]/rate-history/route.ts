import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { batchRateHistory } from "@/lib/domain/batches/rate/rate-history";
import { rateHistoryResponseSchema } from "@/lib/domain/batches/batch-response";

/**
 * `{batch_id, strain, stage, rate_history, rate_metrics, cached_production_rate}` (contract) plus
 * the ETA to the plan; 404 `Batch not found`.
 */
export const GET = route(
  { response: rateHistoryResponseSchema, contract: true, auth: "key|session", role: "viewer", params: idParams },
  async ({ params }) => batchRateHistory(params.id),
);
