import { route } from "@/lib/http/route";
import { centrifugeTrends, strainParams, trendsQuery } from "@/lib/domain/centrifuge/trends";
import { trendsResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/**
 * `{strain, has_data, timeline:[{batch_number, rpm, time_seconds, fill_gauge, yield_percent}],
 * trend_analysis:{rpm_trend, optimal_rpm}, recommendation:{rpm, time_seconds, fill_gauge_cycle1, confidence}}`.
 * Also served at /api/centrifuge-trends/{strain}.
 */
export const GET = route(
  { response: trendsResponseSchema, contract: true, auth: "key|session", role: "viewer", params: strainParams, query: trendsQuery },
  ({ params, query }) => centrifugeTrends(params.strain, query),
);
