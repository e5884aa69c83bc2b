import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { getApexCalculation } from "@/lib/domain/finished-goods/apex-calculate";

/**
 * `{success, metrc_number, available_grams, calculated_units:{sku:{units, grams_used, excluded}},
 * total_grams_allocated, remaining_grams}`. Polled by ApexAPI every 5 s per package: read-only and
 * memoised per database version.
 */
export const GET = route({ contract: true, auth: "key|session", role: "viewer", params: apexMetrcParams }, async ({ params }) =>
  getApexCalculation(params.metrc),
);
