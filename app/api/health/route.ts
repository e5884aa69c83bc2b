import { route, json } from "@/lib/http/route";
import { checkHealth } from "@/lib/health";

/** Liveness + readiness: 200 when the database answers, 503 otherwise. Public, no details leak. */
export const GET = route({ auth: "public", role: "viewer" }, async () => {
  const health = await checkHealth();
  return json(health, { status: health.status === "ok" ? 200 : 503 });
});
