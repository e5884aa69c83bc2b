import { route } from "@/lib/http/route";
import { listHolds, listHoldsQuery } from "@/lib/domain/wholesale/holds";
import { wholesaleHoldsResponseSchema } from "@/lib/domain/wholesale/wholesale-response";

/** `?metrc_number=` (optional) → `{success, holds:[{id, metrc_number, sku_name, quantity, created_date, notes}]}`. */
export const GET = route(
  { response: wholesaleHoldsResponseSchema, contract: true, auth: "session", role: "viewer", query: listHoldsQuery },
  async ({ query }) => listHolds(query.metrc_number),
);
