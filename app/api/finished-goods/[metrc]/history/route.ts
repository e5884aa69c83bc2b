import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { packageHistory } from "@/lib/domain/finished-goods/package-history";
import { packageHistoryResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `{metrc_number, strain, history:[{timestamp, change_type, grams_changed, current_grams, reason}], total_changes}`. */
export const GET = route(
  { response: packageHistoryResponseSchema, contract: true, auth: "key|session", role: "viewer", params: metrcParams },
  async ({ params }) => packageHistory(params.metrc),
);
