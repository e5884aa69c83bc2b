import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { setPacked, setPackedSchema } from "@/lib/domain/finished-goods/set-packed";
import { setPackedResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Replaces the total packed: `{success, metrc_number, grams_packed}`. */
export const POST = route(
  { response: setPackedResponseSchema, contract: true, auth: "key|session", role: "operator", params: metrcParams, body: setPackedSchema },
  async ({ params, body, ctx, principal }) => setPacked(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
