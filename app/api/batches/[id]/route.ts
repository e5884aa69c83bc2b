import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { db } from "@/lib/db/client";
import { updateBatchSchema } from "@/lib/domain/batches/batch-schema";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { updateBatch } from "@/lib/domain/batches/update-batch";
import { deleteBatch } from "@/lib/domain/batches/delete-batch";
import { serializeBatch } from "@/lib/domain/batches/serialize-batch";
import { countsSince, todayStart } from "@/lib/domain/batches/production-history";
import { batchDetailResponseSchema, batchUpdateResponseSchema, batchDeleteResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{batch, today}`: the batch with its rate history, and units counted today per size (the floor page's "Today"). */
export const GET = route(
  { response: batchDetailResponseSchema, auth: "key|session", role: "viewer", params: idParams },
  async ({ params }) => {
    const batch = await loadBatch(db, params.id);
    const today = await countsSince(await todayStart(), batch.id);
    return {
      batch: serializeBatch(batch, { includeHistory: true }),
      today: { ...today, total: today["0_5"] + today["0_7"] + today["1_0"] },
    };
  },
);

/** Edits fields: `{success, batch, adjusted}` (`adjusted`: a plan in the patch was capped to the grams). Stage moves go through …/stage. */
export const PATCH = route(
  { response: batchUpdateResponseSchema, auth: "key|session", role: "operator", params: idParams, body: updateBatchSchema },
  async ({ params, body, ctx }) => {
    const { batch, adjusted } = await updateBatch(ctx, params.id, body);
    return { success: true, batch: serializeBatch(batch), adjusted };
  },
);

export const DELETE = route(
  { response: batchDeleteResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => {
    await deleteBatch(ctx, params.id);
    return { success: true, message: "Batch deleted" };
  },
);
