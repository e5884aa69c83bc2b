import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { planBatch, planBatchSchema } from "@/lib/domain/batches/plan-batch";
import { planResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{ok, adjusted, planned_0_5, planned_0_7, planned_1_0}`: the plan, capped to the grams available. */
export const POST = route(
  { response: planResponseSchema, contract: true, auth: "key|session", role: "operator", params: idParams, body: planBatchSchema },
  async ({ params, body, ctx }) => planBatch(ctx, params.id, body),
);
