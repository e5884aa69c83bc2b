import { route } from "@/lib/http/route";
import { processCentrifugeOutcomes } from "@/lib/domain/centrifuge/learning/process-outcomes";

/** Admin: run the learning processor now → `{success, outcomes_processed, strains}`. */
export const POST = route({ auth: "session", role: "admin" }, ({ ctx }) => processCentrifugeOutcomes(ctx));
