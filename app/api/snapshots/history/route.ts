import { route } from "@/lib/http/route";
import { historyQuery, snapshotHistory } from "@/lib/domain/recommendations/snapshots";
import { snapshotHistoryResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/** `{snapshots:[{timestamp, files_processed[], strain_count, store_count, …}]}`, newest first (`limit`, default 100). */
export const GET = route(
  { response: snapshotHistoryResponseSchema, contract: true, auth: "session", role: "viewer", query: historyQuery },
  ({ query }) => snapshotHistory(query.limit),
);
