import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { changeStageSchema } from "@/lib/domain/batches/batch-schema";
import { changeBatchStage } from "@/lib/domain/batches/change-batch-stage";
import { serializeBatch } from "@/lib/domain/batches/serialize-batch";
import { stageChangeResponseSchema } from "@/lib/domain/batches/batch-response";

/** Moves a batch to stage 0–7 (backwards allowed, audited), with optional mass-balance grams: `{success, batch}`. */
export const POST = route(
  { response: stageChangeResponseSchema, auth: "key|session", role: "operator", params: idParams, body: changeStageSchema },
  async ({ params, body: { stage, ...grams }, ctx }) => ({
    success: true,
    batch: serializeBatch(await changeBatchStage(ctx, params.id, stage, grams)),
  }),
);
