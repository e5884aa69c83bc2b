import { route } from "@/lib/http/route";
import { dismissAllPaperAlerts } from "@/lib/domain/supplies/paper-operations";

/** "Dismiss All" on the dashboard's paper banners (contract) → `{status, message}`. */
export const POST = route({ contract: true, auth: "session", role: "operator" }, ({ ctx }) => dismissAllPaperAlerts(ctx));
