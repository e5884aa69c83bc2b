import { route } from "@/lib/http/route";
import { batchComparison, batchComparisonSchema } from "@/lib/domain/centrifuge/batch-comparison";
import { batchComparisonResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, data}`: the impulse each fill weight takes at one setting. */
export const POST = route(
  { response: batchComparisonResponseSchema, contract: true, auth: "key|session", role: "viewer", body: batchComparisonSchema },
  ({ body }) => batchComparison(body),
);
