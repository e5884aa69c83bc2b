import { route } from "@/lib/http/route";
import { jobParams, updateJob, updateJobSchema } from "@/lib/jobs/admin";
import { jobUpdateResponseSchema } from "@/lib/domain/system/system-response";

/** Admin: `enabled`, `interval_seconds` (an override; null goes back to the job's default). */
export const PATCH = route(
  { response: jobUpdateResponseSchema, auth: "session", role: "admin", params: jobParams, body: updateJobSchema },
  async ({ params, body, ctx }) => ({
    job: await updateJob(ctx, params.name, body),
  }),
);
