import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { setOrdered, setOrderedSchema } from "@/lib/domain/finished-goods/set-ordered";
import { setOrderedResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** Replaces the total ordered: `{success, metrc_number, grams_ordered}`. */
export const POST = route(
  {
    response: setOrderedResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: metrcParams,
    body: setOrderedSchema,
  },
  async ({ params, body, ctx }) => setOrdered(ctx, params.metrc, body),
);
