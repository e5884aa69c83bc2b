import { route } from "@/lib/http/route";
import { listJobs } from "@/lib/jobs/admin";
import { jobListResponseSchema } from "@/lib/domain/system/system-response";

/** Background jobs (admin): state, interval, next run, last result and duration. */
export const GET = route({ response: jobListResponseSchema, auth: "session", role: "admin" }, async () => ({ jobs: await listJobs() }));
