import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { updateProgress, updateProgressSchema } from "@/lib/domain/batches/update-progress";
import { updateProgressResponseSchema } from "@/lib/domain/batches/batch-response";

/** All three running totals (required) → `{status:"success", message, data:{…progress, today…}}` (contract). */
export const POST = route(
  {
    response: updateProgressResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: idParams,
    body: updateProgressSchema,
  },
  async ({ params, body, ctx }) => updateProgress(ctx, params.id, body),
);
