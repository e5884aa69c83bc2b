import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { weightAnalytics } from "@/lib/domain/weight-checks/weight-analytics";

/** Weight tracking analytics for a batch (contract): per size and in total; 404 `Batch not found`. */
export const GET = route({ contract: true, auth: "session", role: "viewer", params: idParams }, async ({ params }) =>
  weightAnalytics(params.id),
);
