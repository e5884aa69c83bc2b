import { route } from "@/lib/http/route";
import { exportSchema, exportSnapshotCsv } from "@/lib/domain/recommendations/compare";

/** `timestamp` (+ `view`: all|combined|stores) → `{csv, filename}`. */
export const POST = route({ contract: true, auth: "session", role: "viewer", body: exportSchema }, ({ body }) => exportSnapshotCsv(body));
