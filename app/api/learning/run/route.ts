import { route } from "@/lib/http/route";
import { processCentrifugeOutcomes } from "@/lib/domain/centrifuge/learning/process-outcomes";
import { learningRunResponseSchema } from "@/lib/domain/centrifuge/centrifuge-response";

/** Admin: run the learning processor now → `{success, outcomes_processed, strains}`. */
export const POST = route({ response: learningRunResponseSchema, auth: "session", role: "admin" }, ({ ctx }) =>
  processCentrifugeOutcomes(ctx),
);
