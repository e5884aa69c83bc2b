import { route } from "@/lib/http/route";
import { analyticsQuery, analyticsSeries } from "@/lib/domain/analytics/analytics-series";
import { analyticsResponseSchema } from "@/lib/domain/analytics/analytics-response";

/** `?days=1..90` (default 30) → `{days, since, stage_times:[…], papers_used:[…]}` (lib/domain/analytics/analytics-response.ts). */
export const GET = route({ response: analyticsResponseSchema, auth: "session", role: "viewer", query: analyticsQuery }, async ({ query }) =>
  analyticsSeries(query.days),
);
