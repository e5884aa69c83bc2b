import { route } from "@/lib/http/route";
import { inventorySummary } from "@/lib/domain/finished-goods/inventory-summary";
import { finishedGoodSummarySchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `{total_packages, active_packages, depleted_packages, archived_packages, orphaned_packages, total_grams, total_strains}`. */
export const GET = route({ response: finishedGoodSummarySchema, contract: true, auth: "key|session", role: "viewer" }, async () =>
  inventorySummary(),
);
