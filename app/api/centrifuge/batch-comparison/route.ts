import { route } from "@/lib/http/route";
import { batchComparison, batchComparisonSchema } from "@/lib/domain/centrifuge/batch-comparison";

/** `{success, data}`: the impulse each fill weight takes at one setting. */
export const POST = route({ contract: true, auth: "key|session", role: "viewer", body: batchComparisonSchema }, ({ body }) =>
  batchComparison(body),
);
