import { route } from "@/lib/http/route";
import { overview } from "@/lib/domain/batches/overview";
import { overviewResponseSchema } from "@/lib/domain/batches/batch-response";

/** `{stage_counts, production_stats, priority_batches, total_active}` — ApexAPI's connection test. */
export const GET = route({ response: overviewResponseSchema, contract: true, auth: "key|session", role: "viewer" }, async () => overview());
