import { z } from "zod";
import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { setBatchArchived } from "@/lib/domain/batches/archive-batch";
import { archiveResponseSchema } from "@/lib/domain/batches/batch-response";

/** Archives a Done batch: 403 unless stage 7, 400 when already archived. */
export const POST = route(
  { response: archiveResponseSchema, contract: true, auth: "key|session", role: "operator", params: idParams, body: z.strictObject({}) },
  async ({ params, ctx }) => setBatchArchived(ctx, params.id, true, { onlyDone: true }),
);
