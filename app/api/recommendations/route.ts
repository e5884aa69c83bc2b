import { route } from "@/lib/http/route";
import { latestSnapshot } from "@/lib/domain/recommendations/snapshots";
import { snapshotResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/** The latest snapshot: `{timestamp, files_processed, strain_count, store_count, data:{combined, stores}}`; 404 before any upload. */
export const GET = route({ response: snapshotResponseSchema, contract: true, auth: "session", role: "viewer" }, () => latestSnapshot());
