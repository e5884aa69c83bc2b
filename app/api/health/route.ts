import { z } from "zod";
import { route, json } from "@/lib/http/route";
import { liveness, readiness } from "@/lib/observability/health";
import { healthResponseSchema } from "@/lib/domain/system/system-response";

const query = z.object({ ready: z.string().optional() });

/**
 * Liveness (`GET /api/health`, no I/O) and readiness (`GET /api/health?ready=1`: database,
 * migrations, worker heartbeat, free disk for backups → 200, or 503 with each check). Public;
 * never cached.
 */
export const GET = route({ response: healthResponseSchema, auth: "public", role: "viewer", query }, async ({ query }) => {
  if (query.ready === undefined || query.ready === "0" || query.ready === "false") return json(liveness());
  const ready = await readiness();
  return json(ready, { status: ready.status === "ok" ? 200 : 503 });
});
