import { route, json } from "@/lib/http/route";
import { listOutcomes, listOutcomesQuery } from "@/lib/domain/centrifuge/list-outcomes";
import { recordCentrifugeOutcome, recordOutcomeSchema, serializeOutcome } from "@/lib/domain/centrifuge/record-outcome";
import { centrifugeOutcomeListResponseSchema, centrifugeOutcomeResponseSchema } from "@/lib/domain/centrifuge/centrifuge-response";

/** `{success, strain, outcomes, total}`, newest first; `strain`, `size`, `grind_size`, `batch_id` filter. */
export const GET = route(
  { response: centrifugeOutcomeListResponseSchema, auth: "key|session", role: "viewer", query: listOutcomesQuery },
  ({ query }) => listOutcomes(query),
);

/** Records one centrifuge run and its result → 201 `{success, outcome}`; feeds the learning processor. */
export const POST = route(
  { response: centrifugeOutcomeResponseSchema, status: 201, auth: "key|session", role: "operator", body: recordOutcomeSchema },
  async ({ body, ctx }) => json({ success: true, outcome: serializeOutcome(await recordCentrifugeOutcome(ctx, body)) }, { status: 201 }),
);
