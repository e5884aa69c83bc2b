import { route, json } from "@/lib/http/route";
import { createBatchSchema } from "@/lib/domain/batches/batch-schema";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { serializeBatch } from "@/lib/domain/batches/serialize-batch";
import { batchSaveResponseSchema } from "@/lib/domain/batches/batch-response";

/** Creates a batch: 201 `{success, batch}`. */
export const POST = route(
  { response: batchSaveResponseSchema, status: 201, auth: "key|session", role: "operator", body: createBatchSchema },
  async ({ body, ctx }) => {
    const batch = await createBatch(ctx, body);
    return json({ success: true, batch: serializeBatch(batch) }, { status: 201 });
  },
);
