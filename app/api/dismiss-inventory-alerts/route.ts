import { route } from "@/lib/http/route";
import { dismissAllPaperAlerts } from "@/lib/domain/supplies/paper-operations";
import { dismissAllResponseSchema } from "@/lib/domain/supplies/inventory-response";

/** "Dismiss All" on the dashboard's paper banners (contract) → `{status, message}`. */
export const POST = route({ response: dismissAllResponseSchema, contract: true, auth: "session", role: "operator" }, ({ ctx }) =>
  dismissAllPaperAlerts(ctx),
);
