import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { addGrams, addGramsSchema } from "@/lib/domain/finished-goods/add-grams";
import { addResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `grams` or `units` + `unit_size`: `{success, metrc_number, previous_grams, current_grams, added_grams}`. */
export const POST = route(
  { response: addResponseSchema, contract: true, auth: "key|session", role: "operator", params: metrcParams, body: addGramsSchema },
  async ({ params, body, ctx }) => addGrams(ctx, params.metrc, body),
);
