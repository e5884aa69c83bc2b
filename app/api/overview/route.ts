import { route } from "@/lib/http/route";
import { overview } from "@/lib/domain/batches/overview";

/** `{stage_counts, production_stats, priority_batches, total_active}` — ApexAPI's connection test. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer" }, async () => overview());
