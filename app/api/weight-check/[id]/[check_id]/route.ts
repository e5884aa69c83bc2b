import { route } from "@/lib/http/route";
import { deleteWeightCheck, deleteWeightCheckSchema, weightCheckParams } from "@/lib/domain/weight-checks/delete-weight-check";
import { deleteWeightCheckResponseSchema } from "@/lib/domain/weight-checks/weight-check-response";

/** Removes a wrong weight check (admin; audited): the size's log and running yield are recomputed. */
export const DELETE = route(
  { response: deleteWeightCheckResponseSchema, auth: "session", role: "admin", params: weightCheckParams, body: deleteWeightCheckSchema },
  async ({ params, body, ctx }) => deleteWeightCheck(ctx, params.id, params.check_id, body.reason ?? null),
);
