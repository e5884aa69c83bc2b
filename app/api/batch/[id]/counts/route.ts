import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { recordCountsSchema } from "@/lib/domain/batches/batch-schema";
import { recordCounts } from "@/lib/domain/batches/record-counts";
import { countsResponseSchema } from "@/lib/domain/batches/batch-response";

/** Per-size counts (running totals, or `add_*` increments): `{"ok": true}` (contract). */
export const POST = route(
  { response: countsResponseSchema, contract: true, auth: "key|session", role: "operator", params: idParams, body: recordCountsSchema },
  async ({ params, body, ctx }) => {
    await recordCounts(ctx, params.id, body);
    return { ok: true };
  },
);
