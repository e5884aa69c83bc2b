import { route } from "@/lib/http/route";
import { exportSchema, exportSnapshotCsv } from "@/lib/domain/recommendations/compare";
import { exportResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/** `timestamp` (+ `view`: all|combined|stores) → `{csv, filename}`. */
export const POST = route(
  { response: exportResponseSchema, contract: true, auth: "session", role: "viewer", body: exportSchema },
  ({ body }) => exportSnapshotCsv(body),
);
