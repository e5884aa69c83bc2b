import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { packGrams, packGramsSchema } from "@/lib/domain/finished-goods/pack-grams";
import { packResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Takes `grams` off the shelf into packed: `{success, metrc_number, previous_grams, current_grams, grams_packed}`; short → 409. */
export const POST = route(
  { response: packResponseSchema, contract: true, auth: "key|session", role: "operator", params: metrcParams, body: packGramsSchema },
  async ({ params, body, ctx, principal }) => packGrams(ctx, params.metrc, body, { isAdmin: principal.role === "admin" }),
);
