import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { weightAnalytics } from "@/lib/domain/weight-checks/weight-analytics";
import { weightAnalyticsResponseSchema } from "@/lib/domain/weight-checks/weight-check-response";

/** Weight tracking analytics for a batch (contract): per size and in total; 404 `Batch not found`. */
export const GET = route(
  { response: weightAnalyticsResponseSchema, contract: true, auth: "session", role: "viewer", params: idParams },
  async ({ params }) => weightAnalytics(params.id),
);
