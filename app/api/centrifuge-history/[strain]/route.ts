import { route } from "@/lib/http/route";
import { strainParams } from "@/lib/domain/centrifuge/trends";
import { centrifugeHistory } from "@/lib/domain/centrifuge/centrifuge-history";
import { centrifugeHistoryResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{strain, history, total_changes}` from the audit trail. */
export const GET = route(
  { response: centrifugeHistoryResponseSchema, contract: true, auth: "key|session", role: "viewer", params: strainParams },
  ({ params }) => centrifugeHistory(params.strain),
);
