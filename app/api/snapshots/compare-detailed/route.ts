import { route } from "@/lib/http/route";
import { compareSchema, compareSnapshots } from "@/lib/domain/recommendations/compare";
import { compareResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/**
 * `timestamp1` (base), `timestamp2`, `store_filter` (a store, or empty/"all" for every store) →
 * `{comparisons:[{strain, status (new|removed|changed|unchanged), old, new, changes:{inventory_delta, …}}], summary}`.
 * Read-only, so a viewer may call it.
 */
export const POST = route(
  { response: compareResponseSchema, contract: true, auth: "session", role: "viewer", body: compareSchema },
  ({ body }) => compareSnapshots(body),
);
