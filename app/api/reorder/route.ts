import { route } from "@/lib/http/route";
import { reorderBatches, reorderBatchesSchema } from "@/lib/domain/batches/reorder-batches";
import { reorderResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{status:"success"}`; the whole list or nothing. 400 `No batch IDs provided`. */
export const POST = route(
  { response: reorderResponseSchema, contract: true, auth: "key|session", role: "operator", body: reorderBatchesSchema },
  async ({ body, ctx }) => reorderBatches(ctx, body.batch_ids),
);
