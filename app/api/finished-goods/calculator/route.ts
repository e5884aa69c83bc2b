import { route } from "@/lib/http/route";
import { calculateUnits, calculatorQuery } from "@/lib/domain/finished-goods/calculator";
import { calculatorResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Units each size makes from `grams`: `{input_grams, primary_sizes, custom_sizes}`. */
export const GET = route(
  { response: calculatorResponseSchema, contract: true, auth: "key|session", role: "viewer", query: calculatorQuery },
  async ({ query }) => calculateUnits(query),
);
