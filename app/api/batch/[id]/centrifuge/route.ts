import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { updateBatchCentrifuge, updateBatchCentrifugeSchema } from "@/lib/domain/centrifuge/update-batch-centrifuge";
import { batchCentrifugeResponseSchema } from "@/lib/domain/centrifuge/centrifuge-response";

/** Session only (contract): the five centrifuge fields, or one size's with `size` → `{status:"success"}`. */
export const POST = route(
  {
    response: batchCentrifugeResponseSchema,
    contract: true,
    auth: "session",
    role: "operator",
    params: idParams,
    body: updateBatchCentrifugeSchema,
  },
  ({ params, body, ctx }) => updateBatchCentrifuge(ctx, params.id, body),
);
