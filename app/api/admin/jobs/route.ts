import { route } from "@/lib/http/route";
import { listJobs } from "@/lib/jobs/admin";

/** Background jobs (admin): state, interval, next run, last result and duration. */
export const GET = route({ auth: "session", role: "admin" }, async () => ({ jobs: await listJobs() }));
