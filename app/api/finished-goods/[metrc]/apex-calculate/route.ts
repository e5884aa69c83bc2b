import { jsonWithETag, route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { getApexCalculation } from "@/lib/domain/finished-goods/apex-calculate";
import { apexCalculateResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * `{success, metrc_number, available_grams, calculated_units:{sku:{units, grams_used, excluded}},
 * total_grams_allocated, remaining_grams}`. Polled by ApexAPI every 5 s per package: read-only and
 * memoised per database version. Carries a strong ETag: a poll with `If-None-Match` that finds
 * nothing new gets a bodyless 304.
 */
export const GET = route(
  { response: apexCalculateResponseSchema, etag: true, contract: true, auth: "key|session", role: "viewer", params: apexMetrcParams },
  async ({ req, params }) => jsonWithETag(req, await getApexCalculation(params.metrc)),
);
