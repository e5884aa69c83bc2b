import { z } from "zod";
import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { setBatchArchived } from "@/lib/domain/batches/archive-batch";
import { archiveResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{status:"success", action:"archived"|"unarchived"}`; 404 when missing or already in that state. */
export const POST = route(
  {
    response: archiveResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: idParams,
    body: z.strictObject({ archive: z.boolean().default(true) }),
  },
  async ({ params, body, ctx }) => setBatchArchived(ctx, params.id, body.archive),
);
