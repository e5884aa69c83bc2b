import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { deductGrams, deductGramsSchema } from "@/lib/domain/finished-goods/deduct-grams";
import { deductResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `grams` or `units` + `unit_size`: `{success, metrc_number, previous_grams, current_grams, deducted_grams}`; short → 409. */
export const POST = route(
  { response: deductResponseSchema, contract: true, auth: "key|session", role: "operator", params: metrcParams, body: deductGramsSchema },
  async ({ params, body, ctx, principal }) => deductGrams(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
