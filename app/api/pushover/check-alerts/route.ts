import { route } from "@/lib/http/route";
import { checkStockAlerts } from "@/lib/domain/alerts/check-alerts";
import { checkAlertsResponseSchema } from "@/lib/domain/alerts/pushover-response";

/**
 * Runs the stock-alert check now (contract) → `{success, result:{alerts, sent, suppressed, …}}`.
 * Rules (levels, per-subject cooldown, delivery): lib/domain/alerts/check-alerts.ts.
 */
export const POST = route({ response: checkAlertsResponseSchema, contract: true, auth: "session", role: "operator" }, async ({ ctx }) => ({
  success: true,
  result: await checkStockAlerts(ctx),
}));
