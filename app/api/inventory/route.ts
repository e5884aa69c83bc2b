import { route } from "@/lib/http/route";
import { loadPaperInventory } from "@/lib/domain/supplies/paper-inventory";
import { inventoryResponseSchema } from "@/lib/domain/supplies/inventory-response";

/**
 * Papers/cones per size (contract `GET /api/inventory/`; both spellings are served):
 * `{inventory:{current_boxes, papers_per_box, alert_thresholds, …}, current_papers, alerts,
 * analytics:{predicted_days_remaining, average_daily_usage, …}}`. Formulas:
 * lib/domain/supplies/usage-analytics.ts; dismissal rules: lib/domain/supplies/dismissal.ts.
 */
export const GET = route({ response: inventoryResponseSchema, contract: true, auth: "key|session", role: "viewer" }, () =>
  loadPaperInventory(),
);
