import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { recordWeightCheck, recordWeightCheckSchema } from "@/lib/domain/weight-checks/record-weight-check";
import { weightCheckResponseSchema } from "@/lib/domain/weight-checks/weight-check-response";

/**
 * A weight check (contract): `size` ("0.5g" …), `sample_weight` (grams of 10 pre-rolls),
 * `count_at_measurement` → `{success, analysis}` with unit/flower weight, deviation, status and
 * the size's running yield. Definitions: lib/domain/weight-checks/weight-math.ts.
 */
export const POST = route(
  {
    response: weightCheckResponseSchema,
    contract: true,
    auth: "session",
    role: "operator",
    params: idParams,
    body: recordWeightCheckSchema,
  },
  async ({ params, body, ctx }) => ({ success: true, analysis: await recordWeightCheck(ctx, params.id, body) }),
);
