import { json, route } from "@/lib/http/route";
import { jobParams, requestJobRun } from "@/lib/jobs/admin";
import { jobRunResponseSchema } from "@/lib/domain/system/system-response";

/** Admin "run now": 202; the worker starts the job within about a second. 409 when it is disabled. */
export const POST = route(
  { response: jobRunResponseSchema, status: 202, auth: "session", role: "admin", params: jobParams },
  async ({ params, ctx }) => json({ success: true, job: await requestJobRun(ctx, params.name) }, { status: 202 }),
);
