import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { db } from "@/lib/db/client";
import { updateBatchSchema } from "@/lib/domain/batches/batch-schema";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { updateBatch } from "@/lib/domain/batches/update-batch";
import { deleteBatch } from "@/lib/domain/batches/delete-batch";
import { serializeBatch } from "@/lib/domain/batches/serialize-batch";

export const GET = route({ auth: "key|session", role: "viewer", params: idParams }, async ({ params }) => {
  const batch = await loadBatch(db, params.id);
  return { batch: serializeBatch(batch, { includeHistory: true }) };
});

/** Edits fields: `{success, batch}`. Stage moves go through …/stage. */
export const PATCH = route(
  { auth: "key|session", role: "operator", params: idParams, body: updateBatchSchema },
  async ({ params, body, ctx }) => ({ success: true, batch: serializeBatch(await updateBatch(ctx, params.id, body)) }),
);

export const DELETE = route({ auth: "session", role: "admin", params: idParams }, async ({ params, ctx }) => {
  await deleteBatch(ctx, params.id);
  return { success: true, message: "Batch deleted" };
});
