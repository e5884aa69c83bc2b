import { route } from "@/lib/http/route";
import { createHold, createHoldSchema } from "@/lib/domain/wholesale/holds";
import { wholesaleHoldCreateResponseSchema } from "@/lib/domain/wholesale/wholesale-response";

/** `{metrc_number, sku_name, quantity, notes}` → `{success, hold_id, message}`; 400 `Only N units available (requested M)`. */
export const POST = route(
  { response: wholesaleHoldCreateResponseSchema, contract: true, auth: "session", role: "operator", body: createHoldSchema },
  async ({ body, ctx, principal }) => createHold(ctx, body, { isAdmin: principal.role === "admin" }),
);
