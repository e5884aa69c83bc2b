import { z } from "zod";
import { route } from "@/lib/http/route";
import { loadSnapshot, timestampSchema } from "@/lib/domain/recommendations/snapshots";
import { snapshotResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/** One snapshot: `{timestamp, data:{combined, stores}, …}`; 404 `Snapshot not found`. */
export const GET = route(
  {
    response: snapshotResponseSchema,
    contract: true,
    auth: "session",
    role: "viewer",
    params: z.strictObject({ timestamp: timestampSchema }),
  },
  ({ params }) => loadSnapshot(params.timestamp),
);
